import { integratedGradientsMany } from "../explain/integrated-gradients.js";
import { type Ensemble, predictEnsemble } from "../network/ensemble.js";
import type { Encoder } from "../table/encoder.js";
import type { Learner } from "./learner.js";

/** The TARNet/Dragonnet ensemble (model/network) behind the learner interface: its own prediction and integrated gradients. */
export function networkLearner(ensemble: Ensemble, encoder: Encoder): Learner {
  return {
    kind: "network",
    arms: ensemble.arms,
    control: ensemble.control,
    outcomeType: ensemble.outcomeType,
    predict: (x, n) => predictEnsemble(ensemble, x, n),
    attribute: (x, n, options = {}) =>
      integratedGradientsMany({ ensemble, encoder, x: x.subarray(0, n * encoder.width), ...(options.steps ? { steps: options.steps } : {}) }),
  };
}
