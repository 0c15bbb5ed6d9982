// exp, logistic and tanh for the kernels, two lanes at a time in float64 (f64x2). The results are rounded to
// float32 once at the store, as the reference kernels do (they compute in JavaScript doubles): an all-float32
// path (Cephes polynomials, ~2 ulp) measurably loosens PyTorch parity of deep bidirectional stacks.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 0.6931471803691238; // ln 2 split so that n·LN2_HI is exact for |n| < 2^20
const LN2_LO: f64 = 1.9082149292705877e-10;

/** e^x for x clamped to [−100, 100] (ample for float32 results): |error| ≈ 1e−13 relative. */
// @ts-ignore: decorator
@inline
export function expD(x: v128): v128 {
  x = f64x2.min(f64x2.max(x, f64x2.splat(-100)), f64x2.splat(100));
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  let r = f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI)));
  r = f64x2.sub(r, f64x2.mul(n, f64x2.splat(LN2_LO)));
  // Taylor series to r^11/11! on |r| ≤ ln2/2: truncation below 3e−14.
  let p = f64x2.splat(1.0 / 39916800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^n built in the exponent field: (n + 1023) << 52.
  const pow2n = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n)), i64x2.splat(1023)), 52);
  return f64x2.mul(p, pow2n);
}

/** 1 / (1 + e^−x) */
// @ts-ignore: decorator
@inline
export function sigmoidD(x: v128): v128 {
  const one = f64x2.splat(1);
  return f64x2.div(one, f64x2.add(one, expD(f64x2.neg(x))));
}

/** tanh: 1 − 2/(e^{2|x|} + 1) with the sign restored; x − x³/3 below 1e−4, where the subtraction would cancel. */
// @ts-ignore: decorator
@inline
export function tanhD(x: v128): v128 {
  const ax = f64x2.abs(x);
  const one = f64x2.splat(1);
  const e = expD(f64x2.add(ax, ax));
  const largeAbs = f64x2.sub(one, f64x2.div(f64x2.splat(2), f64x2.add(e, one)));
  const large = v128.or(largeAbs, v128.and(x, i64x2.splat(0x8000000000000000)));
  const small = f64x2.sub(x, f64x2.mul(f64x2.mul(x, f64x2.mul(x, x)), f64x2.splat(1.0 / 3.0)));
  return v128.bitselect(small, large, f64x2.lt(ax, f64x2.splat(1e-4)));
}

/** Two float32 at p (or one, duplicated, when `single`) widened to f64x2. */
// @ts-ignore: decorator
@inline
export function load2(p: usize, single: bool): v128 {
  return f64x2.promote_low_f32x4(single ? f32x4.splat(load<f32>(p)) : v128.load64_zero(p));
}

/** Round an f64x2 to float32 and store two values at p (or only the first when `single`). */
// @ts-ignore: decorator
@inline
export function store2(p: usize, v: v128, single: bool): void {
  const narrow = f32x4.demote_f64x2_zero(v);
  if (single) store<f32>(p, f32x4.extract_lane(narrow, 0));
  else v128.store64_lane(p, narrow, 0);
}

export function sigmoid(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; ) {
    const single = i + 2 > n;
    const o = <usize>i << 2;
    store2(out + o, sigmoidD(load2(x + o, single)), single);
    i += single ? 1 : 2;
  }
}

export function tanh(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; ) {
    const single = i + 2 > n;
    const o = <usize>i << 2;
    store2(out + o, tanhD(load2(x + o, single)), single);
    i += single ? 1 : 2;
  }
}
