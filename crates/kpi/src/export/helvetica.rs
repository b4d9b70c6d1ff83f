//! Helvetica and Helvetica-Bold, two of the fonts every PDF reader has, written with
//! `/WinAnsiEncoding` (Windows code page 1252): the byte each character is written as, and how
//! wide each byte is drawn, from Adobe's AFM metrics (per 1000 em), so that text can be
//! measured, cut and wrapped without embedding a font.

/// The two faces a report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    /// The standard font's name, for the font dictionary.
    pub fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
        }
    }

    fn widths(self) -> &'static [u16; 256] {
        match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        }
    }
}

/// The WinAnsi byte drawn for `…`, used to mark text cut short.
pub const ELLIPSIS: u8 = 0x85;

/// `text` in WinAnsi bytes. The spaces that French puts in numbers (narrow and ordinary
/// no-break spaces) become a no-break space, the minus sign a hyphen, an arrow `->`; characters
/// WinAnsi lacks become `?` rather than failing a report over a name.
pub fn encode(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2192}' => bytes.extend_from_slice(b"->"),
            _ => bytes.push(byte(c).unwrap_or(b'?')),
        }
    }
    bytes
}

/// The byte of `c`, when WinAnsi has one (or a close stand-in).
fn byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    match c {
        ' '..='~' | '\u{a0}'..='\u{ff}' => u8::try_from(code).ok(),
        '\t' | '\n' | '\r' => Some(b' '),
        '\u{2007}' | '\u{2009}' | '\u{202f}' => Some(0xa0),
        '\u{2010}' | '\u{2011}' | '\u{2212}' => Some(b'-'),
        c if c.is_control() => None,
        _ => HIGH
            .iter()
            .position(|&h| h == c)
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// The characters of bytes 0x80 to 0x9F, where cp1252 departs from Latin-1 (`\0`: undefined).
const HIGH: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', //
    '\0', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

/// How wide `bytes` (WinAnsi) are drawn in `face` at `size` points.
pub fn width(face: Face, size: f32, bytes: &[u8]) -> f32 {
    let widths = face.widths();
    let units: u32 = bytes
        .iter()
        .map(|&b| u32::from(widths[usize::from(b)]))
        .sum();
    units as f32 * size / 1000.0
}

/// `bytes` cut to fit `max` points, ending with "…" where cut.
pub fn fit(face: Face, size: f32, bytes: &[u8], max: f32) -> Vec<u8> {
    if width(face, size, bytes) <= max {
        return bytes.to_vec();
    }
    let room = max - width(face, size, &[ELLIPSIS]);
    let mut used = 0.0;
    let mut end = 0;
    for &byte in bytes {
        used += width(face, size, &[byte]);
        if used > room {
            break;
        }
        end += 1;
    }
    let mut cut = bytes[..end].trim_ascii_end().to_vec();
    cut.push(ELLIPSIS);
    cut
}

/// `bytes` broken at spaces into lines no wider than `max`; past `max_lines`, the last line
/// is cut short. No-break spaces hold, as in "12,5 h".
pub fn wrap(face: Face, size: f32, bytes: &[u8], max: f32, max_lines: usize) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in bytes.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let mut longer = line.clone();
        if !longer.is_empty() {
            longer.push(b' ');
        }
        longer.extend_from_slice(word);
        if line.is_empty() || width(face, size, &longer) <= max {
            line = longer;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_vec()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let keep = max_lines.max(1);
    if lines.len() > keep {
        let rest = lines.split_off(keep - 1).join(&b' ');
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|l| fit(face, size, &l, max))
        .collect()
}

/// Helvetica, per WinAnsi byte.
#[rustfmt::skip]
const REGULAR: [u16; 256] = [
       0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0, // 0x00
       0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0, // 0x10
     278,  278,  355,  556,  556,  889,  667,  191,  333,  333,  389,  584,  278,  333,  278,  278, // 0x20
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  278,  278,  584,  584,  584,  556, // 0x30
    1015,  667,  667,  722,  722,  667,  611,  778,  722,  278,  500,  667,  556,  833,  722,  778, // 0x40
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  278,  278,  278,  469,  556, // 0x50
     333,  556,  556,  500,  556,  556,  278,  556,  556,  222,  222,  500,  222,  833,  556,  556, // 0x60
     556,  556,  333,  500,  278,  556,  500,  722,  500,  500,  500,  334,  260,  334,  584,    0, // 0x70
     556,    0,  222,  556,  333, 1000,  556,  556,  333, 1000,  667,  333, 1000,    0,  611,    0, // 0x80
       0,  222,  222,  333,  333,  350,  556, 1000,  333, 1000,  500,  333,  944,    0,  500,  667, // 0x90
     278,  333,  556,  556,  556,  556,  260,  556,  333,  737,  370,  556,  584,  333,  737,  333, // 0xA0
     400,  584,  333,  333,  333,  556,  537,  278,  333,  333,  365,  556,  834,  834,  834,  611, // 0xB0
     667,  667,  667,  667,  667,  667, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278, // 0xC0
     722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611, // 0xD0
     556,  556,  556,  556,  556,  556,  889,  500,  556,  556,  556,  556,  278,  278,  278,  278, // 0xE0
     556,  556,  556,  556,  556,  556,  556,  584,  611,  556,  556,  556,  556,  500,  556,  500, // 0xF0
];

/// Helvetica-Bold, per WinAnsi byte.
#[rustfmt::skip]
const BOLD: [u16; 256] = [
       0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0, // 0x00
       0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0, // 0x10
     278,  333,  474,  556,  556,  889,  722,  238,  333,  333,  389,  584,  278,  333,  278,  278, // 0x20
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  333,  333,  584,  584,  584,  611, // 0x30
     975,  722,  722,  722,  722,  667,  611,  778,  722,  278,  556,  722,  611,  833,  722,  778, // 0x40
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  333,  278,  333,  584,  556, // 0x50
     333,  556,  611,  556,  611,  556,  333,  611,  611,  278,  278,  556,  278,  889,  611,  611, // 0x60
     611,  611,  389,  556,  333,  611,  556,  778,  556,  556,  500,  389,  280,  389,  584,    0, // 0x70
     556,    0,  278,  556,  500, 1000,  556,  556,  333, 1000,  667,  333, 1000,    0,  611,    0, // 0x80
       0,  278,  278,  500,  500,  350,  556, 1000,  333, 1000,  556,  333,  944,    0,  500,  667, // 0x90
     278,  333,  556,  556,  556,  556,  280,  556,  333,  737,  370,  556,  584,  333,  737,  333, // 0xA0
     400,  584,  333,  333,  333,  611,  556,  278,  333,  333,  365,  556,  834,  834,  834,  611, // 0xB0
     722,  722,  722,  722,  722,  722, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278, // 0xC0
     722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611, // 0xD0
     556,  556,  556,  556,  556,  556,  889,  556,  556,  556,  556,  556,  278,  278,  278,  278, // 0xE0
     611,  611,  611,  611,  611,  611,  611,  584,  611,  611,  611,  611,  611,  556,  611,  556, // 0xF0
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_written_in_winansi() {
        assert_eq!(encode("Arrêt"), b"Arr\xeat");
        assert_eq!(
            encode("é à ç ô œ « »"),
            b"\xe9 \xe0 \xe7 \xf4 \x9c \xab \xbb"
        );
        assert_eq!(encode("12 € — …"), b"12 \x80 \x97 \x85");
        assert_eq!(encode("1\u{202f}234\u{a0}h"), b"1\xa0234\xa0h");
        assert_eq!(encode("\u{2212}3 → 4"), b"-3 -> 4");
        assert_eq!(encode("漢\u{0}\u{81}"), b"???");
    }

    #[test]
    fn text_is_measured_with_the_afm_widths() {
        let close = |a: f32, units: u16| (a - f32::from(units) * 12.0 / 1000.0).abs() < 1e-4;
        let hello = 722 + 556 + 222 + 222 + 556;
        assert!(close(width(Face::Regular, 12.0, b"Hello"), hello));
        let bold = 722 + 556 + 278 + 278 + 611;
        assert!(close(width(Face::Bold, 12.0, b"Hello"), bold));
        assert!(close(width(Face::Regular, 12.0, &encode("é€")), 556 + 556));
    }

    #[test]
    fn text_too_long_is_cut_with_an_ellipsis() {
        let long = encode("Pompe de relevage de la station nord");
        let cut = fit(Face::Regular, 8.0, &long, 60.0);
        assert!(width(Face::Regular, 8.0, &cut) <= 60.0);
        assert_eq!(cut.last(), Some(&ELLIPSIS));
        assert!(long.starts_with(&cut[..cut.len() - 1]));
        assert_eq!(fit(Face::Regular, 8.0, b"Pompe", 60.0), b"Pompe");
    }

    #[test]
    fn paragraphs_wrap_at_spaces() {
        let text = encode("Site : Lyon  ·  Type : Pompe  ·  Criticité : haute  ·  Équipe : nuit");
        let lines = wrap(Face::Regular, 8.5, &text, 80.0, usize::MAX);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(Face::Regular, 8.5, l) <= 80.0));
        let words = |b: &[u8]| b.split(|&c| c == b' ').filter(|w| !w.is_empty()).count();
        assert_eq!(lines.iter().map(|l| words(l)).sum::<usize>(), words(&text));
        let two = wrap(Face::Regular, 8.5, &text, 80.0, 2);
        assert_eq!(two.len(), 2);
        assert_eq!(two.last().and_then(|l| l.last()), Some(&ELLIPSIS));
    }
}
