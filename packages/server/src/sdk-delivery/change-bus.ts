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

/** Fans configuration changes out to the SDK streams of this process (and, on PostgreSQL, of others). */
export class ChangeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open SDK stream listens; thousands are expected.
    this.emitter.setMaxListeners(0);
  }

  /** Announces a committed change. */
  publish(change: ConfigChange): void {
    this.emitter.emit("change", change);
  }

  /** Calls `listener` on every change; returns the function that stops listening. */
  subscribe(listener: (change: ConfigChange) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }
}
