// Eager tasks (the `eagerStart` task option, and so `eagerTaskFactory`): installed when this
// module is part of the program.
import { currentContext } from "../context/context.js";
import { realm } from "../running.js";
import { taskHooks, type Task } from "../task.js";

/**
 * The first step of an eager task, inside `createTask`: in the task's context, which is
 * current only while `realm.context` is null (the creator may be a callback or in a run()).
 * The creator's context stays entered below this step, so it is marked entered meanwhile.
 */
taskHooks.eagerStep = (task: Task<any>): void => {
  const creator = currentContext();
  const wasEntered = creator._entered;
  const entered = realm.context;
  creator._entered = true;
  realm.context = null;
  try {
    task._step(false, undefined);
  } finally {
    realm.context = entered;
    creator._entered = wasEntered;
  }
};
