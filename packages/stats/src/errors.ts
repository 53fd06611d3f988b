/** Thrown by a public function whose input has no defined answer (e.g. no units, a zero standard error). */
export class StatsInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "StatsInputError";
  }
}
