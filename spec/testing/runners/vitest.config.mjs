// Runs only the adapter suite; vite's cache goes to the package's node_modules, not beside the suite.
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default {
  cacheDir: here("../../../node_modules/.vite"),
  test: { root: here("."), include: ["vitest.test.mjs"], watch: false },
};
