// The minimal program (scripts/size/minimal.js) written for redux-saga: runSaga, fork, delay, a
// cancelled task and all() of a joined task and a call.
import { runSaga, stdChannel } from "redux-saga";
import { all, call, cancel, delay, fork, join } from "redux-saga/effects";

function* child(n) {
  yield delay(10);
  return n;
}

runSaga({ channel: stdChannel() }, function* () {
  const first = yield fork(child, 1);
  const doomed = yield fork(child, 2);
  yield cancel(doomed);
  console.log(yield all([join(first), call(child, 3)]));
});
