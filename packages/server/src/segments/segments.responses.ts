import { type Static, Type } from "typebox";
import { DateTimeString, NoContent, Nullable, responses } from "../http/response-schemas.js";

/** A segment as the Kameleoon dialect shows it (docs/kameleoon-feature-flags.md). */
export const SegmentViewSchema = Type.Object({
  id: Type.Integer(),
  siteCode: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  condition: Nullable(Type.Unknown({ description: "the condition tree, as given" })),
  included: Type.Array(Type.String()),
  excluded: Type.Array(Type.String()),
  version: Type.Integer(),
  dateCreated: DateTimeString,
  dateModified: DateTimeString,
});
export type SegmentView = Static<typeof SegmentViewSchema>;

export const segmentResponse = responses("kameleoon", { 200: SegmentViewSchema });
export const createdSegmentResponse = responses("kameleoon", { 201: SegmentViewSchema });
export const segmentListResponse = responses("kameleoon", { 200: Type.Array(SegmentViewSchema) });
export const deletedSegmentResponse = responses("kameleoon", { 204: NoContent });
/** GET /segments/{id}/usage: the rules of flags and the segments (inSegment) that use it. */
export const segmentUsageResponse = responses("kameleoon", {
  200: Type.Object({
    flags: Type.Array(
      Type.Object({ featureKey: Type.String(), archived: Type.Boolean(), detail: Type.String() }),
    ),
    segments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  }),
});
