export * from "./vocabulary.js";
export * from "./condition.schema.js";
export * from "./scoring-model.schema.js";
export * from "./nodes.schema.js";
export * from "./webhook-url.schema.js";
export * from "./document.schema.js";
export * from "./safe-input.js";
export * from "./compiled.types.js";
export { validate, type ValidateOptions } from "./validate.js";
export { compileCondition, compileWhere } from "./condition-compiler.js";
export { fieldGetter, type FieldGetter } from "./field-getter.js";
export { compileGlob } from "./glob.js";
export {
  parseBehaviourField, collectBehaviourNeeds, hasBehaviourNeeds, noBehaviourNeeds, MAX_BEHAVIOUR_DAYS,
  type BehaviourField, type BehaviourEvent, type BehaviourNeeds,
} from "./behaviour.js";
export { compile, compileFlowSet } from "./compile.js";
export { EventPlan, type PlanTest } from "./event-plan.js";
export { assertNever } from "./assert-never.js";
export { galleryFlows, type GalleryFlow } from "./gallery/index.js";
