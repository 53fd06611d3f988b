import { EventEmitter } from "node:events";

/** A configuration change that connected SDKs must hear about. */
export interface ConfigChange {
  projectKey: string;
  /** Environments whose evaluation payload changed; undefined = every environment of the project. */
  environmentKeys?: string[] | undefined;
  kind: "flag" | "segment" | "environment";
  /** featureKey for flags, segment id for segments, environment key for environments. */
  key: string;
  /** The resource's version after the change (flags); deleted resources set `deleted`. */
  version?: number | undefined;
  deleted?: boolean | undefined;
}

/**
 * Fans configuration changes out to the SDK streams of this process (and, on PostgreSQL, of others).
 *
 * `publish` is for changes committed by this process: every subscriber hears them, and the PostgreSQL
 * fan-out (sdk-delivery/postgres-fanout.ts) forwards them to the other processes. Changes heard from another
 * process enter through `publishRemote`, which reaches the local subscribers only (never re-sent).
 */
export class ChangeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open SDK stream listens; thousands are expected.
    this.emitter.setMaxListeners(0);
  }

  /** Announces a change committed by this process. */
  publish(change: ConfigChange): void {
    this.emitter.emit("change", change);
    this.emitter.emit("local", change);
  }

  /** Announces a change another process committed (heard through PostgreSQL); not forwarded again. */
  publishRemote(change: ConfigChange): void {
    this.emitter.emit("change", change);
  }

  /**
   * Announces that changes may have been missed (the PostgreSQL listener reconnected): subscribers should
   * reload everything they cache.
   */
  publishResync(): void {
    this.emitter.emit("resync");
  }

  /** Calls `listener` on every change, local or remote; returns the function that stops listening. */
  subscribe(listener: (change: ConfigChange) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  /** Calls `listener` on changes committed by this process only (what must be sent to other processes). */
  subscribeLocal(listener: (change: ConfigChange) => void): () => void {
    this.emitter.on("local", listener);
    return () => this.emitter.off("local", listener);
  }

  /** Calls `listener` when changes may have been missed; returns the function that stops listening. */
  subscribeResync(listener: () => void): () => void {
    this.emitter.on("resync", listener);
    return () => this.emitter.off("resync", listener);
  }
}
