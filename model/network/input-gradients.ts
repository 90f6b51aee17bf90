import * as tf from "@tensorflow/tfjs";
import type { Ensemble } from "./ensemble.js";
import type { NetworkParams } from "./tarnet.js";

/**
 * Gradients of every arm's calibrated output with respect to the input, by hand-written backward
 * passes through the ReLU network. Autodiff needs one backward pass per arm, so it would evaluate
 * the whole network K times per point; here the forward pass runs once per point, the arm heads'
 * gradients are cheap, and only the trunk's backward pass is repeated per arm (one batched matmul
 * per layer). Four times faster than tf.grad for 8 arms, which is what makes explanations cheap
 * enough to serve under load. Must be called inside tf.tidy.
 *
 * `points` is [M, G·S, D]: member m is evaluated at its own points, G groups (clients) of S points
 * each. Returns [K, G, D]: the gradient of each arm's output summed over members and over each
 * group's points.
 */
export function summedInputGradients(ensemble: Ensemble, points: tf.Tensor3D, groups = 1): tf.Tensor3D {
  const [M, P, D] = points.shape;
  const K = ensemble.arms.length;
  if (!Number.isInteger(P / groups)) throw new RangeError(`${P} points per member do not split into ${groups} groups`);
  let total: tf.Tensor3D = tf.zeros([K, groups, D]);
  ensemble.params.forEach((p, m) => {
    if (m >= M) return;
    const x = tf.reshape(tf.slice(points, [m, 0, 0], [1, P, D]), [P, D]) as tf.Tensor2D;
    const perPoint = memberGradients(ensemble, p, ensemble.backward[m] as BackwardWeights, x); // K × P × D
    total = tf.add(total, tf.sum(tf.reshape(perPoint, [K, groups, P / groups, D]), 2)) as tf.Tensor3D;
  });
  return total;
}

/**
 * One member's weights as the backward pass reads them, arranged once when the ensemble is loaded.
 * On wasm a transpose per call costs a kernel, a matmul against a new weight tensor packs it anew
 * (XNNPACK keeps the packed operator per weight tensor), and a batched matmul takes a slow
 * non-XNNPACK path: the heads are block matrices instead, so every product is one 2-D matmul
 * against a weight tensor that lives as long as the ensemble. The base head shared by every arm is
 * folded in as U = K·hh + hb hidden units that every arm reads (hb = the base head's, 0 without one).
 */
export type BackwardWeights = {
  /** Per shared layer, its weights transposed (units × inputs). */
  shared: tf.Tensor2D[];
  /** The heads' first layer, the arms' hidden units then the base head's: H × U, its bias U, and transposed U × H. */
  headW1: tf.Tensor2D;
  headB1: tf.Tensor1D;
  headW1T: tf.Tensor2D;
  /** The heads' second layer in blocks, K × 1 × U: row k holds arm k's weights in arm k's hidden units and the base head's in the base's, zero elsewhere. */
  headW2: tf.Tensor3D;
  /** The same blocks as columns (U × K) and the output bias (the arm's plus the base head's): every arm's output in one matmul. */
  headW2Columns: tf.Tensor2D;
  headB2: tf.Tensor1D;
};

export function backwardWeights(p: NetworkParams): BackwardWeights {
  const K = p.arms;
  const hh = p.headHidden;
  const base = p.base;
  return tf.tidy(() => {
    // Arm k's own hidden units: a K × K·hh indicator, times arm k's weights repeated over the arms.
    const own = tf.reshape(tf.tile(tf.expandDims(tf.eye(K), 2), [1, 1, hh]), [K, K * hh]);
    const armBlocks = tf.mul(own, tf.tile(tf.reshape(p.headW2, [1, K * hh]), [K, 1])) as tf.Tensor2D; // K × K·hh
    const blocks: tf.Tensor2D = base ? tf.concat([armBlocks, tf.tile(tf.reshape(base.w2, [1, -1]), [K, 1]) as tf.Tensor2D], 1) : armBlocks; // K × U
    const headW1 = base ? tf.concat([p.headW1, base.w1], 1) : tf.clone(p.headW1);
    const U = blocks.shape[1] as number;
    return {
      shared: p.shared.map((layer) => tf.transpose(layer.w)),
      headW1,
      headB1: base ? tf.concat([p.headB1, base.b1]) : tf.clone(p.headB1),
      headW1T: tf.transpose(headW1),
      headW2: tf.reshape(blocks, [K, 1, U]),
      headW2Columns: tf.transpose(blocks),
      headB2: base ? tf.add(p.headB2, base.b2) : tf.clone(p.headB2),
    };
  });
}

export function disposeBackwardWeights(weights: BackwardWeights): void {
  tf.dispose([...weights.shared, weights.headW1, weights.headB1, weights.headW1T, weights.headW2, weights.headW2Columns, weights.headB2]);
}

function memberGradients(ensemble: Ensemble, p: NetworkParams, weights: BackwardWeights, x: tf.Tensor2D): tf.Tensor3D {
  const S = x.shape[0];
  const K = p.arms;
  // Forward, keeping each hidden layer's ReLU mask.
  const masks: tf.Tensor2D[] = [];
  let h: tf.Tensor2D = x;
  for (const layer of p.shared) {
    const a = tf.add(tf.matMul(h, layer.w), layer.b) as tf.Tensor2D;
    masks.push(tf.step(a) as tf.Tensor2D);
    h = tf.relu(a) as tf.Tensor2D;
  }
  const z = tf.add(tf.matMul(h, weights.headW1), weights.headB1); // S × U
  const out = tf.add(tf.matMul(tf.relu(z), weights.headW2Columns), weights.headB2) as tf.Tensor2D; // S × K
  // d out_k / d h for every arm: row (k, s) holds arm k's head slope at point s in arm k's and the
  // base head's hidden units (zero in the other arms'), so one matmul with the heads' first layer gives K × S × H.
  const slopes = tf.reshape(tf.mul(tf.reshape(tf.step(z), [1, S, -1]), weights.headW2), [K * S, -1]) as tf.Tensor2D;
  const dOut = tf.reshape(tf.matMul(slopes, weights.headW1T), [K, S, -1]) as tf.Tensor3D; // K × S × H
  // Chain through the calibration: binary p = sigmoid(a·out + b); continuous y = a·(out·sd + mean) + b.
  const slope =
    ensemble.outcomeType === "binary"
      ? (() => {
          const v = tf.sigmoid(tf.add(tf.mul(out, ensemble.calibrationA), ensemble.calibrationB));
          return tf.mul(tf.mul(v, tf.sub(1, v)), ensemble.calibrationA);
        })()
      : tf.mul(tf.onesLike(out), tf.mul(ensemble.calibrationA, ensemble.outcomeScale.sd));
  let delta = tf.mul(dOut, tf.expandDims(tf.transpose(slope), 2)) as tf.Tensor3D; // K × S × H
  // Backward through the trunk for all arms at once (K·S rows). Masks broadcast over the arms, and
  // the weights come transposed (backwardWeights): on wasm, Tile and matMul's transposeB are many times slower.
  for (let l = p.shared.length - 1; l >= 0; l--) {
    const masked = tf.reshape(tf.mul(delta, masks[l] as tf.Tensor2D), [K * S, -1]) as tf.Tensor2D;
    delta = tf.reshape(tf.matMul(masked, weights.shared[l] as tf.Tensor2D), [K, S, -1]) as tf.Tensor3D;
  }
  return delta; // K × S × D
}
