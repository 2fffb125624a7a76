/** Returned by `ContextData.lookup` when the key is absent (values may be anything, `undefined` included). */
export const ABSENT: object = Object.freeze({ absent: true });
