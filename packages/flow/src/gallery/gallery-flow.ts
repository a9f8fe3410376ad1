import type { FlowDocumentShape } from "../document.schema.js";

/** A ready-made flow a marketer can start a draft from. */
export interface GalleryFlow {
  id: string;
  name: string;
  description: string;
  /** a complete, valid document (given the templates it names exist) */
  document: FlowDocumentShape;
}
