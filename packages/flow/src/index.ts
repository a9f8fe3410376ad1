export * from "./condition.schema.js";
export * from "./nodes.schema.js";
export * from "./document.schema.js";
export * from "./compiled.types.js";
export { validate, type ValidateOptions } from "./validate.js";
export { compileCondition, compileWhere } from "./condition-compiler.js";
export { fieldGetter, type FieldGetter } from "./field-getter.js";
export { compile, compileFlowSet } from "./compile.js";
export { assertNever } from "./assert-never.js";
