// Runs only the adapter suite, untransformed (it is plain CommonJS).
module.exports = { rootDir: __dirname, testMatch: ["<rootDir>/jest.test.cjs"], transform: {}, cache: false };
