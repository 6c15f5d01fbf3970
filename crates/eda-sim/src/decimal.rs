//! Decimal text to the nearest `f64`, exactly (round half to even), for the JSON reader.
//!
//! serde_json reads floats exactly only with its `float_roundtrip` feature, which brought about
//! 8 KB (gzip) of tables and big-number code into the wasm; the standard library's converter
//! brings a 10 KB table. Scenario files are small, so this converter favours size over speed:
//! short numbers (up to 15 digits, a power of ten up to 22) take one exact float operation,
//! and the rest a long division of big integers.

/// Big unsigned integers as little-endian 32-bit limbs, with only what the conversion needs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut big = Big(Vec::with_capacity(digits.len() / 9 + 1));
        for &digit in digits {
            big.mul_add(10, u32::from(digit - b'0'));
        }
        big
    }

    /// `self = self * factor + carry`.
    fn mul_add(&mut self, factor: u32, mut carry: u32) {
        for limb in &mut self.0 {
            let wide = u64::from(*limb) * u64::from(factor) + u64::from(carry);
            *limb = wide as u32;
            carry = (wide >> 32) as u32;
        }
        if carry != 0 {
            self.0.push(carry);
        }
    }

    fn mul_pow10(&mut self, mut exponent: u32) {
        while exponent > 0 {
            let step = exponent.min(9);
            self.mul_add(10u32.pow(step), 0);
            exponent -= step;
        }
    }

    fn bit_length(&self) -> u32 {
        match self.0.iter().rposition(|&limb| limb != 0) {
            Some(top) => top as u32 * 32 + (32 - self.0[top].leading_zeros()),
            None => 0,
        }
    }

    fn shl(&mut self, bits: u32) {
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.0.iter_mut().rev() {
            let next = *limb << 31;
            *limb = (*limb >> 1) | carry;
            carry = next;
        }
    }

    fn at_least(&self, other: &Big) -> bool {
        let limb = |big: &Big, i: usize| big.0.get(i).copied().unwrap_or(0);
        for i in (0..self.0.len().max(other.0.len())).rev() {
            if limb(self, i) != limb(other, i) {
                return limb(self, i) > limb(other, i);
            }
        }
        true
    }

    /// `self -= other`, where `other <= self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (value, borrowed_a) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (value, borrowed_b) = value.overflowing_sub(u32::from(borrow));
            *limb = value;
            borrow = borrowed_a || borrowed_b;
        }
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&limb| limb == 0)
    }
}

/// Significant digits kept: 767 decide any rounding of an `f64`; beyond, only whether the rest
/// is zero matters.
const DIGITS_KEPT: usize = 780;

/// The `f64` nearest to a JSON number (`-12.5e-3`: an optional minus, digits, an optional
/// fraction, an optional exponent), or `None` when its size is beyond the `f64` range. The text
/// must follow JSON's grammar.
pub fn to_f64(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
        None => (unsigned, "0"),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Saturating: exponents past a million give 0 or infinity for any digits kept.
    let exponent_size = exponent
        .trim_start_matches(['+', '-'])
        .bytes()
        .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(1_000_000_000));
    let mut exponent10 = if exponent.starts_with('-') {
        -exponent_size
    } else {
        exponent_size
    };
    exponent10 -= fraction.len() as i64;

    let mut digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .skip_while(|&b| b == b'0')
        .collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
        exponent10 += 1;
    }
    if digits.len() > DIGITS_KEPT {
        // Dropped digits that are not all zero lie strictly between the kept digits and the
        // next value up: a trailing 1 stands for them without changing any rounding.
        exponent10 += (digits.len() - DIGITS_KEPT) as i64;
        digits.truncate(DIGITS_KEPT);
        digits.push(b'1');
        exponent10 -= 1;
    }
    let magnitude = if negative { -1.0 } else { 1.0 };
    if digits.is_empty() {
        return Some(magnitude * 0.0);
    }
    // The value lies in [10^(leading - 1), 10^leading).
    let leading = exponent10 + digits.len() as i64;
    if leading > 310 {
        return None;
    }
    if leading < -324 {
        return Some(magnitude * 0.0);
    }
    if digits.len() <= 15 && (-22..=22).contains(&exponent10) {
        // Both operands are exact floats, so the one rounding is the right one.
        let significand = digits.iter().fold(0u64, |n, &digit| n * 10 + u64::from(digit - b'0')) as f64;
        let power = (0..exponent10.unsigned_abs()).fold(1f64, |p, _| p * 10.0);
        let value = if exponent10 < 0 {
            significand / power
        } else {
            significand * power
        };
        return Some(magnitude * value);
    }
    from_big(&digits, exponent10).map(|value| magnitude * value)
}

/// `digits × 10^exponent10` rounded to the nearest `f64` by long division.
fn from_big(digits: &[u8], exponent10: i64) -> Option<f64> {
    let mut numerator = Big::from_digits(digits);
    let mut denominator = Big(vec![1]);
    if exponent10 >= 0 {
        numerator.mul_pow10(exponent10 as u32);
    } else {
        denominator.mul_pow10(exponent10.unsigned_abs() as u32);
    }
    // The quotient numerator × 2^scale / denominator gets 54 bits (53 and a rounding bit), or
    // fewer when the value is subnormal: a scale of 1075 makes its last bit 2^-1075.
    let bits = i64::from(numerator.bit_length()) - i64::from(denominator.bit_length());
    let scale = (54 - bits).min(1075);
    if scale >= 0 {
        numerator.shl(scale as u32);
    } else {
        denominator.shl((-scale) as u32);
    }
    // At most 55 bits, so the division takes 55 compare-and-subtract steps.
    denominator.shl(54);
    let mut quotient = 0u64;
    for bit in (0..55).rev() {
        if numerator.at_least(&denominator) {
            numerator.sub(&denominator);
            quotient |= 1 << bit;
        }
        denominator.shr1();
    }
    let mut sticky = !numerator.is_zero();
    let mut scale = scale;
    if quotient >= 1 << 54 {
        sticky |= quotient & 1 == 1;
        quotient >>= 1;
        scale -= 1;
    }
    let mut mantissa = quotient >> 1;
    if quotient & 1 == 1 && (sticky || mantissa & 1 == 1) {
        mantissa += 1;
    }
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        scale -= 1;
    }
    // The value is mantissa × 2^(1 - scale).
    if mantissa < 1 << 52 {
        // Subnormal (scale is 1075) or zero: the exponent field is 0.
        return Some(f64::from_bits(mantissa));
    }
    let biased_exponent = 1 - scale + 1075;
    if biased_exponent >= 2047 {
        return None;
    }
    Some(f64::from_bits(
        ((biased_exponent as u64) << 52) | (mantissa - (1 << 52)),
    ))
}
