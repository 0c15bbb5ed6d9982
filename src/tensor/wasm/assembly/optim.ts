// Optimizer updates in WebAssembly SIMD, over parameters, gradients and moments in this module's memory.

/**
 * One Adam/AdamW step over n elements, as the JavaScript loop in src/nn/optim/adam.ts computes it: in float64,
 * operation by operation in the same order, storing m, v and θ as float32 and reading m, v back rounded. Every
 * operation (promote, ×, +, ÷, √, demote) is correctly rounded IEEE, so the result is bitwise that loop's; the
 * gain is two float64 lanes per instruction and no bounds checks.
 *   θ' = θ·decay;  g = grad + l2·θ;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g·g
 *   θ = θ' − stepSize · m / (√v / bc2Sqrt + eps)
 */
export function adamUpdate(
  values: usize, grads: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, stepSize: f64, bc2Sqrt: f64, eps: f64, decay: f64, l2: f64,
): void {
  const oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2;
  const vBeta1 = f64x2.splat(beta1), vBeta2 = f64x2.splat(beta2);
  const vOneMinusBeta1 = f64x2.splat(oneMinusBeta1), vOneMinusBeta2 = f64x2.splat(oneMinusBeta2);
  const vStep = f64x2.splat(stepSize), vBc2 = f64x2.splat(bc2Sqrt), vEps = f64x2.splat(eps);
  const vDecay = f64x2.splat(decay), vL2 = f64x2.splat(l2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const x4 = v128.load(values + o), g4 = v128.load(grads + o), m4 = v128.load(m + o), s4 = v128.load(v + o);
    // Lanes 0–1, then 2–3 (moved down by a shuffle), each as float64x2.
    let x = f64x2.promote_low_f32x4(x4), g = f64x2.promote_low_f32x4(g4);
    let mm = f64x2.promote_low_f32x4(m4), vv = f64x2.promote_low_f32x4(s4);
    const gLow = f64x2.add(g, f64x2.mul(vL2, x));
    const mLow = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vBeta1, mm), f64x2.mul(vOneMinusBeta1, gLow)));
    const vLow = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vBeta2, vv), f64x2.mul(f64x2.mul(vOneMinusBeta2, gLow), gLow)));
    const xLow = f32x4.demote_f64x2_zero(step(f64x2.mul(x, vDecay), mLow, vLow, vStep, vBc2, vEps));
    x = f64x2.promote_low_f32x4(v128.shuffle<f32>(x4, x4, 2, 3, 2, 3));
    g = f64x2.promote_low_f32x4(v128.shuffle<f32>(g4, g4, 2, 3, 2, 3));
    mm = f64x2.promote_low_f32x4(v128.shuffle<f32>(m4, m4, 2, 3, 2, 3));
    vv = f64x2.promote_low_f32x4(v128.shuffle<f32>(s4, s4, 2, 3, 2, 3));
    const gHigh = f64x2.add(g, f64x2.mul(vL2, x));
    const mHigh = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vBeta1, mm), f64x2.mul(vOneMinusBeta1, gHigh)));
    const vHigh = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vBeta2, vv), f64x2.mul(f64x2.mul(vOneMinusBeta2, gHigh), gHigh)));
    const xHigh = f32x4.demote_f64x2_zero(step(f64x2.mul(x, vDecay), mHigh, vHigh, vStep, vBc2, vEps));
    v128.store(m + o, v128.shuffle<f32>(mLow, mHigh, 0, 1, 4, 5));
    v128.store(v + o, v128.shuffle<f32>(vLow, vHigh, 0, 1, 4, 5));
    v128.store(values + o, v128.shuffle<f32>(xLow, xHigh, 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = <f64>load<f32>(values + o);
    const theta = x * decay;
    const g = <f64>load<f32>(grads + o) + l2 * x;
    const mi = <f32>(beta1 * <f64>load<f32>(m + o) + oneMinusBeta1 * g);
    const vi = <f32>(beta2 * <f64>load<f32>(v + o) + oneMinusBeta2 * g * g);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(values + o, <f32>(theta - stepSize * (<f64>mi / (Math.sqrt(<f64>vi) / bc2Sqrt + eps))));
  }
}

/** θ' − stepSize · m / (√v / bc2Sqrt + eps), with m and v the float32 values just stored (low two lanes). */
// @ts-ignore: decorator
@inline
function step(theta: v128, m32: v128, v32: v128, vStep: v128, vBc2: v128, vEps: v128): v128 {
  const m = f64x2.promote_low_f32x4(m32), v = f64x2.promote_low_f32x4(v32);
  return f64x2.sub(theta, f64x2.mul(vStep, f64x2.div(m, f64x2.add(f64x2.div(f64x2.sqrt(v), vBc2), vEps))));
}
