// "@vexil/sdk/openfeature": the OpenFeature server provider (requires the @openfeature/server-sdk peer).

export { type FlagAddress, VexilProvider } from "./provider.js";
