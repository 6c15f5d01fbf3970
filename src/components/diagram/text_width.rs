//! How much room a line of text takes in a node, and cutting it to fit: the diagram's lines are
//! sized in Latin characters, and a Chinese character (or a full-width sign) takes two.

/// How many Latin characters' room `c` takes: two for a CJK ideograph or full-width sign.
fn char_width(c: char) -> usize {
    match c {
        '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' => 2,
        '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}' => 2,
        _ => 1,
    }
}

/// How many Latin characters' room `text` takes (a Chinese character takes two).
pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// A name that fits in the room of `chars` Latin characters, cut with an ellipsis.
pub fn fit(name: &str, chars: usize) -> String {
    if width(name) <= chars {
        return name.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in name.chars() {
        if used + char_width(c) > chars - 1 {
            break;
        }
        used += char_width(c);
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_twice_the_room_and_is_cut_to_fit() {
        assert_eq!(width("acks all"), 8);
        assert_eq!(width("全部副本确认（acks all）"), 12 + 2 + 8 + 2);
        assert_eq!(fit("order-service", 23), "order-service");
        assert_eq!(fit("order-service", 6), "order…");
        let cut = fit("主副本确认 · 重试 3 次 · 幂等", 12);
        assert!(width(&cut) <= 12, "{cut}");
        assert!(cut.ends_with('…'));
    }
}
