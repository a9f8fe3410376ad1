export * from "./render.js";
export * from "./transport.js";
export * from "./instrument.js";
