// The whole API of the package's main entry, as a bundler keeps it when everything is used.
export * from "genloop";
