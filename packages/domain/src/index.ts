export * from "./fields.js";
export * from "./plan.js";
export * from "./types.js";
export * from "./validate.js";
