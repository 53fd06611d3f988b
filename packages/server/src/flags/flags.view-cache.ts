import type { Kysely } from "kysely";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";
import { flagsStore } from "./flags.store.js";
import { type FlagView, flagView, type ViewValidity } from "./flags.view.js";

// GET /feature-flags/{siteCode}/{featureKey} answers the same bytes until the flag changes: parsing the
// stored document, building the view and serialising it cost far more than the indexed query itself. So the
// serialised view is kept per flag with what it was built from - the flag's version (every write bumps it),
// the project's environment keys and the interval over which the computed rule fields (`status`,
// `currentExposition`) hold - and every read checks these against a small query of the row first. Nothing is
// invalidated by messages: a write by any process (another API process, `vexil worker`) shows in the version
// the next read sees, so a cached view can never outlive the row it was built from.

/** Total size of the kept views; beyond it the least recently built ones go (10,000 typical flags fit). */
const DEFAULT_MAX_BYTES = 48 * 1024 * 1024;

interface Entry {
  version: number;
  environments: string;
  from: number;
  to: number;
  json: string;
}

/** A flag's view as the API sends it: its version (for the ETag) and its serialised body. */
export interface SerializedFlag {
  version: number;
  json: string;
}

/** Serialised flag views by flag id, each valid for one version of the flag (see the note above). */
export class FlagViewCache {
  private readonly entries = new Map<number, Entry>();
  private bytes = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
    private readonly now: () => number,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /** The flag's serialised view (`serialize` is the route's response serialiser), or undefined when absent. */
  async read(
    projectKey: string,
    featureKey: string,
    serialize: (view: FlagView) => string,
  ): Promise<SerializedFlag | undefined> {
    const probe = await flagsStore.probe(this.db, this.dialect, projectKey, featureKey);
    if (!probe) return undefined;
    const now = this.now();
    const hit = this.entries.get(probe.id);
    if (
      hit &&
      hit.version === probe.version &&
      hit.environments === probe.environments &&
      hit.from <= now &&
      now < hit.to
    ) {
      return hit;
    }
    // Built from the full row read now, which may be newer than the probe: the entry records what it was
    // built from, so it is right either way.
    const found = await flagsStore.findForRead(this.db, this.dialect, projectKey, featureKey);
    if (!found) return undefined;
    const validity: ViewValidity = { from: -Infinity, to: Infinity };
    const view = flagView(found.record, found.environmentKeys, now, validity);
    const entry: Entry = {
      version: view.version,
      environments: found.environmentKeys.join("\x1f"),
      from: validity.from,
      to: validity.to,
      json: serialize(view),
    };
    this.keep(found.record.meta.id, entry, now);
    return entry;
  }

  private keep(id: number, entry: Entry, now: number): void {
    const previous = this.entries.get(id);
    if (previous) {
      this.bytes -= previous.json.length;
      this.entries.delete(id);
    }
    if (entry.from > now || entry.to <= now) return; // the computed fields change at once: nothing to reuse
    this.entries.set(id, entry);
    this.bytes += entry.json.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.json.length;
    }
  }
}
