//! ICAO 9303 machine-readable zones: parsing OCR lines of a TD1 (3×30), TD2 (2×36) or TD3
//! (2×44) MRZ into fields, validating them with the check digits, and repairing OCR misreads
//! only where a check digit confirms the repair.
//!
//! Built to sit behind Tesseract, so the input is forgiving: case, spaces and stray marks are
//! ignored, a line up to three characters too long or short is refitted in its longest run of
//! fillers, and where a position admits only digits (dates, check digits) or only letters
//! (codes, names) the usual OCR-B look-alikes are mapped back unambiguously.
//!
//! What `valid: true` means, and what it cannot mean:
//! - Every check digit holds over the fields returned. A repair is kept only when it is the one
//!   substitution, from the confusion sets, that makes its check digit hold *and* leaves the
//!   composite check digit holding, and when "the check digit itself was misread" does not
//!   explain the failure as well.
//! - Check digits (weights 7-3-1, modulo 10) are blind to any substitution whose character
//!   values differ by a multiple of ten: `<`/`0`/`A`/`K`/`U`, `1`/`B`/`L`/`V`, `6`/`G`/`Q`, …
//!   Among OCR confusions that means `1`↔`L`, `6`↔`G` and `<`↔`K` inside a document number or
//!   optional data pass every check: ICAO cannot tell them apart, so neither can we.
//! - Names, document code, issuing state, nationality and sex are covered by no check digit.
//!   The filler repair in the name field is a documented heuristic (see [`Mrz::name_field`]);
//!   the field as read is kept in [`Mrz::raw_name_field`].
//! - A misread that is not an OCR confusion (say `C` read as `K`) inside a document number or
//!   personal number is, about one time in five, "repaired" at another position into a
//!   different value that every check digit accepts: one mod-10 digit cannot both locate and
//!   confirm an arbitrary error. When the misread is a confusion the repair is exact (the
//!   right value or none). The property tests measure both; `repairs` says when it happened.
//!
//! A [`Mrz`] holds PII: it must never be logged. Its `Debug` prints only the format and the
//! check-digit results.

use std::fmt;

use chrono::{Datelike, NaiveDate, Utc};
use serde::Serialize;

/// How many characters a line may be off its format's length and still be refitted.
const LENGTH_SLACK: usize = 3;
/// Cap on the joint repair search (product of candidates over the failing fields).
const MAX_REPAIR_COMBINATIONS: usize = 4096;
/// Letters Tesseract produces for the filler `<` in OCR-B.
const FILLER_LOOKALIKES: &[u8] = b"KXSCEL";
/// OCR-B confusion sets: a repair may replace a character only by another of its set.
const CONFUSION_SETS: [&[u8]; 6] = [b"0OQD", b"1IL", b"2Z", b"5S", b"8B", b"6G"];
const WEIGHTS: [u32; 3] = [7, 3, 1];

/// The ICAO 9303 check digit of `field` (weights 7, 3, 1; `0`–`9` count as their value,
/// `A`–`Z` as 10–35, `<` as 0). `None` if the field holds any other character, lower case
/// included: callers normalise first.
pub fn check_digit(field: &str) -> Option<u8> {
    digit_over(field.bytes())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzFormat {
    /// Three lines of 30: identity cards.
    Td1,
    /// Two lines of 36: older identity cards, MRV-B visas.
    Td2,
    /// Two lines of 44: passports, MRV-A visas.
    Td3,
}

/// Whether each check digit holds over the fields returned (after repair).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckDigits {
    pub document_number: bool,
    pub date_of_birth: bool,
    pub expiry_date: bool,
    /// TD3's personal-number check digit; TD1 and TD2 have none (their optional data is
    /// covered by the composite only).
    pub optional_data: Option<bool>,
    pub composite: bool,
}

impl CheckDigits {
    pub fn all_valid(&self) -> bool {
        self.document_number
            && self.date_of_birth
            && self.expiry_date
            && self.optional_data.unwrap_or(true)
            && self.composite
    }
}

/// The fields of a machine-readable zone. Holds PII: never log it (`Debug` is redacted).
/// Text fields have their trailing fillers removed; inner fillers of names become spaces.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Mrz {
    pub format: MrzFormat,
    /// `P`, `I`, `ID`, `AC`, `V`, …
    pub document_code: String,
    pub issuing_state: String,
    /// For a TD1 long number, the nine principal characters followed by the overflow.
    pub document_number: String,
    pub surname: String,
    pub given_names: String,
    /// The name field as read, after normalisation but before the filler repair.
    pub raw_name_field: String,
    /// The name field after the filler repair, in MRZ form (`SURNAME<<GIVEN<NAMES<<<`).
    ///
    /// Tesseract reads runs of `<` as `K`, `X`, `S` (sometimes `C`, `E`, `L`). No check digit
    /// covers the name, so the repair only touches a tail that cannot be a name. Walking the
    /// letter groups (runs between `<`) from the end of the field, a group becomes fillers
    /// while:
    /// - it comes after the given names have ended (after a second `<<`, the first being the
    ///   surname separator) and is made only of `K X S C E L`; or
    /// - it is elsewhere (but is not the field's first group) and looks like misread fillers:
    ///   a lone `K` (as in `<K<`), or two or more letters all from `K X S C E L` of which
    ///   strictly more than half are `K` or `X` (`KKK`, `KSK`, `XK`; not `SKS`, `LEE`, `ELLE`).
    ///
    /// Then the last remaining group loses a run of three or more `K`/`X` glued to its end
    /// (`JOHNKKKKXKK` → `JOHN`), keeping at least one letter. Surname components are reached
    /// only when everything after them is fillers, i.e. as part of an obvious trailing run.
    ///
    /// Limits: a given name that is a lone `K`, or a K/X-heavy group such as `KX`, at the end
    /// of the names is taken for fillers; a name ending in `K` or `X` whose first filler was
    /// misread too (`ALEXKKK`) loses that letter (`ALE`); filler misreads made of
    /// `S`/`C`/`E`/`L` before the names' end (`JOHN<SE<<<`) are left alone.
    pub name_field: String,
    pub nationality: String,
    /// Years above today's two-digit year are 19YY, the others 20YY.
    pub date_of_birth: Option<NaiveDate>,
    /// `M`, `F`, or `None` for `<`, `X` or an unreadable character.
    pub sex: Option<char>,
    /// Always 20YY: documents that expired before 2000 are out of scope.
    pub expiry_date: Option<NaiveDate>,
    /// TD3: personal number; TD2: optional data; TD1: optional data of line 1 (after a long
    /// document number's overflow, if any).
    pub optional_data: String,
    /// TD1 only: optional data of line 2.
    pub optional_data_2: Option<String>,
    pub checks: CheckDigits,
}

impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mrz")
            .field("format", &self.format)
            .field("checks", &self.checks)
            .field("fields", &format_args!("[redacted]"))
            .finish()
    }
}

/// A field that carries a check digit, as named in a [`Repair`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzField {
    DocumentNumber,
    DateOfBirth,
    ExpiryDate,
    OptionalData,
}

/// One character replaced because a check digit confirmed it. Positions are 0-based in the
/// normalised, refitted lines; the characters themselves are not recorded (they are PII).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Repair {
    pub field: MrzField,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MrzRead {
    pub mrz: Mrz,
    /// Every check digit holds over the fields in `mrz` (see the module docs for its limits).
    pub valid: bool,
    pub repairs: Vec<Repair>,
    /// 0-based columns of the name field turned back into `<`: unconfirmed by any check digit.
    pub name_fillers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("an MRZ has 2 or 3 lines, found {found}")]
    WrongLineCount { found: usize },
    /// `line` is 1-based, counting the non-empty lines given.
    #[error("MRZ line {line} has {len} characters, expected {expected}")]
    WrongLength { line: usize, len: usize, expected: usize },
    #[error("the line lengths match no MRZ format")]
    UnknownFormat,
}

/// Parses OCR lines, taking today (UTC) for the birth-date century.
pub fn parse(lines: &[&str]) -> Result<MrzRead, MrzError> {
    parse_at(lines, Utc::now().date_naive())
}

/// Parses OCR lines; `today` decides the birth-date century. Empty lines are skipped.
pub fn parse_at(lines: &[&str], today: NaiveDate) -> Result<MrzRead, MrzError> {
    let cleaned: Vec<Vec<u8>> = lines.iter().map(|l| clean_line(l)).filter(|l| !l.is_empty()).collect();
    let layout = detect(&cleaned)?;
    let mut rows = Vec::with_capacity(cleaned.len());
    for (i, line) in cleaned.into_iter().enumerate() {
        let len = line.len();
        let expected = layout.line_len;
        rows.push(fit_length(line, expected).ok_or(MrzError::WrongLength { line: i + 1, len, expected })?);
    }
    normalise(&mut rows, layout);

    let (document, optional_start) = document_number_check(&mut rows, layout);
    let birth = Check::digits(MrzField::DateOfBirth, layout.birth, layout.birth_check);
    let expiry = Check::digits(MrzField::ExpiryDate, layout.expiry, layout.expiry_check);
    let personal = layout.optional_check.map(|check| Check {
        field: MrzField::OptionalData,
        data: layout.optional.positions().collect(),
        check: check.first(),
        data_class: Class::Any,
        // ICAO: an all-filler personal number may carry `<` as its check digit.
        filler_allowed: true,
    });
    let composite = Check {
        field: MrzField::DocumentNumber, // unused: the composite is never a repair target
        data: layout.composite.iter().flat_map(|s| s.positions()).collect(),
        check: layout.composite_check.first(),
        data_class: Class::Any,
        filler_allowed: false,
    };
    let fields: Vec<&Check> = [&document, &birth, &expiry].into_iter().chain(personal.as_ref()).collect();
    let repairs = repair(&mut rows, &fields, &composite);

    let checks = CheckDigits {
        document_number: holds(&rows, &document),
        date_of_birth: holds(&rows, &birth),
        expiry_date: holds(&rows, &expiry),
        optional_data: personal.as_ref().map(|c| holds(&rows, c)),
        composite: holds(&rows, &composite),
    };
    let raw_name = text(&rows, layout.name.positions());
    let mut name = raw_name.clone().into_bytes();
    let name_fillers = clean_name_fillers(&mut name);
    let (surname, given_names) = split_names(&name);
    let optional = Span { start: optional_start, len: layout.optional.end() - optional_start, ..layout.optional };
    let mrz = Mrz {
        format: layout.format,
        document_code: trimmed(&rows, layout.document_code.positions()),
        issuing_state: trimmed(&rows, layout.issuing_state.positions()),
        document_number: trimmed(&rows, document.data.iter().copied()),
        surname,
        given_names,
        raw_name_field: raw_name,
        name_field: name.iter().map(|&b| char::from(b)).collect(),
        nationality: trimmed(&rows, layout.nationality.positions()),
        date_of_birth: birth_date(&text(&rows, layout.birth.positions()), today),
        sex: match at(&rows, layout.sex.first()) {
            b'M' => Some('M'),
            b'F' => Some('F'),
            _ => None,
        },
        expiry_date: expiry_date(&text(&rows, layout.expiry.positions())),
        optional_data: trimmed(&rows, optional.positions()),
        optional_data_2: layout.optional_2.map(|s| trimmed(&rows, s.positions())),
        checks,
    };
    Ok(MrzRead { valid: checks.all_valid(), mrz, repairs, name_fillers })
}

/// (line, column), 0-based.
type Pos = (usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Digits only (dates, check digits); `<` passes through for unknown date parts.
    Numeric,
    /// Letters only (codes, names, sex).
    Alpha,
    /// Document number and optional data: letters and digits, so no look-alike is resolvable
    /// without a check digit.
    Any,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    line: usize,
    start: usize,
    len: usize,
}

impl Span {
    const fn new(line: usize, start: usize, len: usize) -> Self {
        Self { line, start, len }
    }

    fn end(self) -> usize {
        self.start + self.len
    }

    fn first(self) -> Pos {
        (self.line, self.start)
    }

    fn positions(self) -> impl Iterator<Item = Pos> {
        (self.start..self.end()).map(move |c| (self.line, c))
    }

    fn contains(self, (line, column): Pos) -> bool {
        line == self.line && (self.start..self.end()).contains(&column)
    }
}

struct Layout {
    format: MrzFormat,
    line_len: usize,
    document_code: Span,
    issuing_state: Span,
    name: Span,
    document_number: Span,
    document_check: Span,
    nationality: Span,
    birth: Span,
    birth_check: Span,
    sex: Span,
    expiry: Span,
    expiry_check: Span,
    optional: Span,
    optional_check: Option<Span>,
    optional_2: Option<Span>,
    composite: &'static [Span],
    composite_check: Span,
}

const TD1: Layout = Layout {
    format: MrzFormat::Td1,
    line_len: 30,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    document_number: Span::new(0, 5, 9),
    document_check: Span::new(0, 14, 1),
    optional: Span::new(0, 15, 15),
    birth: Span::new(1, 0, 6),
    birth_check: Span::new(1, 6, 1),
    sex: Span::new(1, 7, 1),
    expiry: Span::new(1, 8, 6),
    expiry_check: Span::new(1, 14, 1),
    nationality: Span::new(1, 15, 3),
    optional_2: Some(Span::new(1, 18, 11)),
    composite: &[Span::new(0, 5, 25), Span::new(1, 0, 7), Span::new(1, 8, 7), Span::new(1, 18, 11)],
    composite_check: Span::new(1, 29, 1),
    optional_check: None,
    name: Span::new(2, 0, 30),
};

const TD2: Layout = Layout {
    format: MrzFormat::Td2,
    line_len: 36,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    name: Span::new(0, 5, 31),
    document_number: Span::new(1, 0, 9),
    document_check: Span::new(1, 9, 1),
    nationality: Span::new(1, 10, 3),
    birth: Span::new(1, 13, 6),
    birth_check: Span::new(1, 19, 1),
    sex: Span::new(1, 20, 1),
    expiry: Span::new(1, 21, 6),
    expiry_check: Span::new(1, 27, 1),
    optional: Span::new(1, 28, 7),
    optional_check: None,
    optional_2: None,
    composite: &[Span::new(1, 0, 10), Span::new(1, 13, 7), Span::new(1, 21, 14)],
    composite_check: Span::new(1, 35, 1),
};

const TD3: Layout = Layout {
    format: MrzFormat::Td3,
    line_len: 44,
    name: Span::new(0, 5, 39),
    optional: Span::new(1, 28, 14),
    optional_check: Some(Span::new(1, 42, 1)),
    composite: &[Span::new(1, 0, 10), Span::new(1, 13, 7), Span::new(1, 21, 22)],
    composite_check: Span::new(1, 43, 1),
    ..TD2
};

impl Layout {
    fn class(&self, pos: Pos) -> Class {
        let numeric =
            [self.document_check, self.birth, self.birth_check, self.expiry, self.expiry_check, self.composite_check];
        let alpha = [self.document_code, self.issuing_state, self.name, self.nationality, self.sex];
        if numeric.iter().chain(self.optional_check.as_ref()).any(|s| s.contains(pos)) {
            Class::Numeric
        } else if alpha.iter().any(|s| s.contains(pos)) {
            Class::Alpha
        } else {
            Class::Any
        }
    }
}

/// What a character position admits by its format's field layout (`<` is admitted everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    Digit,
    Letter,
    Any,
}

/// The class of every position of an MRZ of `lines` lines of `line_len` characters (TD1 3×30,
/// TD2 2×36, TD3 2×44); `None` for any other shape.
pub fn position_classes(lines: usize, line_len: usize) -> Option<Vec<Vec<CharClass>>> {
    let layout = match (lines, line_len) {
        (3, 30) => &TD1,
        (2, 36) => &TD2,
        (2, 44) => &TD3,
        _ => return None,
    };
    Some(
        (0..lines)
            .map(|l| {
                (0..line_len)
                    .map(|c| match layout.class((l, c)) {
                        Class::Numeric => CharClass::Digit,
                        Class::Alpha => CharClass::Letter,
                        Class::Any => CharClass::Any,
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Upper-cases and keeps only MRZ characters. Tesseract renders filler pairs as `«` at times;
/// anything else that is not `A–Z 0–9 <` (spaces, dots, quotes) is noise it added.
fn clean_line(line: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    for c in line.chars() {
        match c.to_ascii_uppercase() {
            c @ ('A'..='Z' | '0'..='9' | '<') => out.push(c as u8),
            '«' => out.extend_from_slice(b"<<"),
            '‹' => out.push(b'<'),
            _ => {}
        }
    }
    out
}

fn detect(lines: &[Vec<u8>]) -> Result<&'static Layout, MrzError> {
    let near = |line: &Vec<u8>| {
        [&TD2, &TD3].into_iter().find(|l| line.len().abs_diff(l.line_len) <= LENGTH_SLACK).map(|l| l.format)
    };
    match lines {
        [_, _, _] => Ok(&TD1),
        [a, b] => match (near(a), near(b)) {
            (Some(MrzFormat::Td2), None | Some(MrzFormat::Td2)) | (None, Some(MrzFormat::Td2)) => Ok(&TD2),
            (Some(MrzFormat::Td3), None | Some(MrzFormat::Td3)) | (None, Some(MrzFormat::Td3)) => Ok(&TD3),
            _ => Err(MrzError::UnknownFormat),
        },
        _ => Err(MrzError::WrongLineCount { found: lines.len() }),
    }
}

/// Refits a line that is slightly too long or short. OCR most often drops or doubles a `<`
/// inside a long filler run, so the difference is taken from (or given to) the longest run of
/// at least two `<` (the last one on ties); a line without such a run is not guessed at.
fn fit_length(mut line: Vec<u8>, expected: usize) -> Option<Vec<u8>> {
    if line.len() == expected {
        return Some(line);
    }
    if line.len().abs_diff(expected) > LENGTH_SLACK {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < line.len() {
        let run = line[i..].iter().take_while(|&&b| b == b'<').count();
        if run >= 2 && best.is_none_or(|(_, len)| run >= len) {
            best = Some((i, run));
        }
        i += run.max(1);
    }
    let (start, run) = best?;
    if line.len() > expected {
        let excess = line.len() - expected;
        // Keep at least one filler so the fields on either side stay apart.
        if excess >= run {
            return None;
        }
        line.drain(start..start + excess);
    } else {
        let missing = expected - line.len();
        line.splice(start..start, std::iter::repeat_n(b'<', missing));
    }
    Some(line)
}

/// Maps look-alikes where the position's alphabet makes the reading unambiguous.
fn normalise(rows: &mut [Vec<u8>], layout: &Layout) {
    for (line, row) in rows.iter_mut().enumerate() {
        for (column, b) in row.iter_mut().enumerate() {
            *b = match layout.class((line, column)) {
                Class::Numeric => as_digit(*b),
                Class::Alpha => as_letter(*b),
                Class::Any => *b,
            };
        }
    }
}

fn as_digit(b: u8) -> u8 {
    match b {
        b'O' | b'Q' | b'D' => b'0',
        b'I' | b'L' => b'1',
        b'Z' => b'2',
        b'S' => b'5',
        b'B' => b'8',
        b'G' => b'6',
        other => other,
    }
}

fn as_letter(b: u8) -> u8 {
    match b {
        b'0' => b'O',
        b'1' => b'I',
        b'2' => b'Z',
        b'5' => b'S',
        b'8' => b'B',
        b'6' => b'G',
        other => other,
    }
}

/// A check digit and the positions it covers, in order.
struct Check {
    field: MrzField,
    data: Vec<Pos>,
    check: Pos,
    data_class: Class,
    filler_allowed: bool,
}

impl Check {
    fn digits(field: MrzField, data: Span, check: Span) -> Self {
        Self {
            field,
            data: data.positions().collect(),
            check: check.first(),
            data_class: Class::Numeric,
            filler_allowed: false,
        }
    }
}

/// The document number's check, and where the optional data of its line starts.
///
/// ICAO 9303 part 5 §4.2.2: a TD1 number longer than nine characters puts `<` in the check
/// digit position and continues at the start of optional data 1, followed by the check digit
/// (over all its characters, the `<` excluded) and a filler. TD2 and TD3 numbers are read as
/// nine characters.
fn document_number_check(rows: &mut [Vec<u8>], layout: &Layout) -> (Check, usize) {
    let mut check = Check {
        field: MrzField::DocumentNumber,
        data: layout.document_number.positions().collect(),
        check: layout.document_check.first(),
        data_class: Class::Any,
        filler_allowed: false,
    };
    let optional = layout.optional;
    if layout.format != MrzFormat::Td1 || at(rows, check.check) != b'<' {
        return (check, optional.start);
    }
    let overflow = optional.positions().take_while(|&p| at(rows, p) != b'<').count();
    // At least one more character and the check digit; otherwise the `<` is just a misread.
    if overflow < 2 {
        return (check, optional.start);
    }
    let check_at = (optional.line, optional.start + overflow - 1);
    if let Some(b) = rows.get_mut(check_at.0).and_then(|r| r.get_mut(check_at.1)) {
        *b = as_digit(*b);
    }
    check.data.extend(optional.positions().take(overflow - 1));
    check.check = check_at;
    (check, (optional.start + overflow + 1).min(optional.end()))
}

fn at(rows: &[Vec<u8>], (line, column): Pos) -> u8 {
    rows.get(line).and_then(|r| r.get(column)).copied().unwrap_or(0)
}

fn set(rows: &mut [Vec<u8>], (line, column): Pos, b: u8) {
    if let Some(slot) = rows.get_mut(line).and_then(|r| r.get_mut(column)) {
        *slot = b;
    }
}

fn value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

fn digit_over(bytes: impl Iterator<Item = u8>) -> Option<u8> {
    let mut sum = 0u32;
    for (i, b) in bytes.enumerate() {
        sum += WEIGHTS[i % 3] * value(b)?;
    }
    u8::try_from(sum % 10).ok()
}

fn computed(rows: &[Vec<u8>], check: &Check) -> Option<u8> {
    digit_over(check.data.iter().map(|&p| at(rows, p)))
}

fn holds(rows: &[Vec<u8>], check: &Check) -> bool {
    match at(rows, check.check) {
        b @ b'0'..=b'9' => computed(rows, check) == Some(b - b'0'),
        b'<' => check.filler_allowed && check.data.iter().all(|&p| at(rows, p) == b'<'),
        _ => false,
    }
}

#[derive(Debug, Clone, Copy)]
enum Choice {
    /// Replace one character by another of its confusion set.
    Substitute(Pos, u8),
    /// The check digit itself was misread. Never applied: any digit could have been misread
    /// into any other, and a misread data digit can pass the composite with a recomputed check
    /// digit (TD3's birth date at its second digit always does). It is weighed only so that a
    /// data repair it explains equally well is refused.
    CheckMisread,
}

fn candidates(rows: &mut [Vec<u8>], check: &Check) -> Vec<Choice> {
    let mut out = Vec::new();
    // The check digit's own position is tried too, but every confusion set holds a single
    // digit, so a digit has no alternative there: its misreads are weighed by `CheckMisread`.
    let positions = check.data.iter().map(|&p| (p, check.data_class)).chain([(check.check, Class::Numeric)]);
    for (pos, class) in positions {
        let read = at(rows, pos);
        let Some(set_of) = CONFUSION_SETS.iter().find(|s| s.contains(&read)) else { continue };
        for &alt in set_of.iter().filter(|&&b| b != read) {
            let allowed = match class {
                Class::Numeric => alt.is_ascii_digit(),
                Class::Alpha => alt.is_ascii_uppercase(),
                Class::Any => true,
            };
            if !allowed {
                continue;
            }
            set(rows, pos, alt);
            if holds(rows, check) {
                out.push(Choice::Substitute(pos, alt));
            }
            set(rows, pos, read);
        }
    }
    if computed(rows, check).is_some() {
        out.push(Choice::CheckMisread);
    }
    out
}

fn apply(rows: &mut [Vec<u8>], check: &Check, choice: Choice) {
    match choice {
        Choice::Substitute(pos, b) => set(rows, pos, b),
        Choice::CheckMisread => {
            if let Some(d) = computed(rows, check) {
                set(rows, check.check, b'0' + d);
            }
        }
    }
}

/// Repairs failing field checks jointly: each failing field picks one of its candidates (a
/// confusion-set substitution that makes its own check digit hold, or the misread-check-digit
/// hypothesis), and a combination is viable when the composite then holds too. The repair is
/// kept only if exactly one combination is viable and it is made of substitutions alone.
fn repair(rows: &mut [Vec<u8>], fields: &[&Check], composite: &Check) -> Vec<Repair> {
    let failing: Vec<&Check> = fields.iter().copied().filter(|c| !holds(rows, c)).collect();
    if failing.is_empty() {
        return Vec::new();
    }
    let options: Vec<Vec<Choice>> = failing.iter().map(|c| candidates(rows, c)).collect();
    let combinations = options.iter().try_fold(1usize, |acc, o| acc.checked_mul(o.len()));
    if !combinations.is_some_and(|n| (1..=MAX_REPAIR_COMBINATIONS).contains(&n)) {
        return Vec::new();
    }
    let mut pick = vec![0usize; options.len()];
    let mut viable: Vec<Vec<Choice>> = Vec::new();
    loop {
        let chosen: Vec<Choice> = pick.iter().zip(&options).filter_map(|(&i, o)| o.get(i).copied()).collect();
        let mut trial = rows.to_vec();
        for (check, &choice) in failing.iter().zip(&chosen) {
            apply(&mut trial, check, choice);
        }
        if holds(&trial, composite) && failing.iter().all(|c| holds(&trial, c)) {
            viable.push(chosen);
            if viable.len() > 1 {
                return Vec::new();
            }
        }
        // Next combination, odometer-style.
        let mut k = 0;
        while let Some((slot, choices)) = pick.get_mut(k).zip(options.get(k)) {
            *slot += 1;
            if *slot < choices.len() {
                break;
            }
            *slot = 0;
            k += 1;
        }
        if k == pick.len() {
            break;
        }
    }
    let Some(only) = viable.pop() else { return Vec::new() };
    let mut substitutions = Vec::new();
    for (check, choice) in failing.iter().zip(only) {
        match choice {
            Choice::Substitute(pos, b) => substitutions.push((check.field, pos, b)),
            Choice::CheckMisread => return Vec::new(),
        }
    }
    substitutions
        .into_iter()
        .map(|(field, pos, b)| {
            set(rows, pos, b);
            Repair { field, line: pos.0, column: pos.1 }
        })
        .collect()
}

fn text(rows: &[Vec<u8>], positions: impl Iterator<Item = Pos>) -> String {
    positions.map(|p| char::from(at(rows, p))).collect()
}

fn trimmed(rows: &[Vec<u8>], positions: impl Iterator<Item = Pos>) -> String {
    text(rows, positions).trim_end_matches('<').to_owned()
}

fn two_digits(s: &str, at: usize) -> Option<u32> {
    s.get(at..at + 2).filter(|d| d.bytes().all(|b| b.is_ascii_digit())).and_then(|d| d.parse().ok())
}

fn yymmdd(s: &str) -> Option<(i32, u32, u32)> {
    Some((i32::try_from(two_digits(s, 0)?).ok()?, two_digits(s, 2)?, two_digits(s, 4)?))
}

fn birth_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (yy, month, day) = yymmdd(s)?;
    let century = today.year() - today.year().rem_euclid(100);
    let year = if yy > today.year().rem_euclid(100) { century - 100 + yy } else { century + yy };
    NaiveDate::from_ymd_opt(year, month, day)
}

fn expiry_date(s: &str) -> Option<NaiveDate> {
    let (yy, month, day) = yymmdd(s)?;
    NaiveDate::from_ymd_opt(2000 + yy, month, day)
}

/// The filler repair documented on [`Mrz::name_field`]. Returns the columns it changed.
fn clean_name_fillers(field: &mut [u8]) -> Vec<usize> {
    // Letter groups as (start, end) ranges.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < field.len() {
        let run = field[i..].iter().take_while(|&&b| b != b'<').count();
        if run > 0 {
            groups.push((i, i + run));
        }
        i += run.max(1);
    }
    let gap_before = |k: usize| match k.checked_sub(1).and_then(|p| groups.get(p)).zip(groups.get(k)) {
        Some((prev, this)) => this.0 - prev.1,
        None => 0,
    };
    let given_start = (1..groups.len()).find(|&k| gap_before(k) >= 2);
    let names_end = given_start.and_then(|g| (g + 1..groups.len()).find(|&k| gap_before(k) >= 2));

    let mut kept = groups.len();
    while kept > 1 {
        let k = kept - 1;
        let (start, end) = groups[k];
        let group = &field[start..end];
        let filler = if names_end.is_some_and(|n| k >= n) {
            group.iter().all(|b| FILLER_LOOKALIKES.contains(b))
        } else {
            looks_like_misread_fillers(group)
        };
        if !filler {
            break;
        }
        kept = k;
    }
    let mut changed = Vec::new();
    for &(start, end) in &groups[kept..] {
        changed.extend(start..end);
    }
    if let Some(&(start, end)) = kept.checked_sub(1).and_then(|k| groups.get(k)) {
        let glued = field[start..end].iter().rev().take_while(|&&b| matches!(b, b'K' | b'X')).count();
        if glued >= 3 && glued < end - start {
            changed.extend(end - glued..end);
        }
    }
    changed.sort_unstable();
    for &c in &changed {
        field[c] = b'<';
    }
    changed
}

fn looks_like_misread_fillers(group: &[u8]) -> bool {
    match group {
        [single] => *single == b'K',
        _ => {
            let kx = group.iter().filter(|&&b| matches!(b, b'K' | b'X')).count();
            group.iter().all(|b| FILLER_LOOKALIKES.contains(b)) && kx * 2 > group.len()
        }
    }
}

fn split_names(field: &[u8]) -> (String, String) {
    let field: String = field.iter().map(|&b| char::from(b)).collect();
    let (surname, given) = field.split_once("<<").unwrap_or((field.as_str(), ""));
    let words = |s: &str| s.split('<').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    (words(surname), words(given))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD3_SPECIMEN: [&str; 2] =
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
    const TD1_SPECIMEN: [&str; 3] =
        ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"];
    const TD2_SPECIMEN: [&str; 2] = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"];

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn read<S: AsRef<str>>(lines: &[S]) -> MrzRead {
        let lines: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
        parse_at(&lines, today()).unwrap()
    }

    fn cd(s: &str) -> char {
        char::from(b'0' + check_digit(s).unwrap())
    }

    fn pad(s: &str, width: usize) -> String {
        format!("{s:<<width$}")
    }

    // ---- a small MRZ writer, independent of the parser, for generated and tweaked cases ----

    #[derive(Debug, Clone)]
    struct Doc {
        format: MrzFormat,
        code: String,
        state: String,
        surname: Vec<String>,
        given: Vec<String>,
        number: String,
        nationality: String,
        birth: String,
        sex: char,
        expiry: String,
        optional: String,
        optional_2: String,
        /// TD3, empty personal number: write `<` rather than `0` as its check digit.
        filler_check: bool,
    }

    fn specimen(format: MrzFormat) -> Doc {
        Doc {
            format,
            code: if format == MrzFormat::Td3 { "P" } else { "I" }.into(),
            state: "UTO".into(),
            surname: vec!["ERIKSSON".into()],
            given: vec!["ANNA".into(), "MARIA".into()],
            number: if format == MrzFormat::Td3 { "L898902C3" } else { "D23145890" }.into(),
            nationality: "UTO".into(),
            birth: "740812".into(),
            sex: 'F',
            expiry: "120415".into(),
            optional: if format == MrzFormat::Td3 { "ZE184226B" } else { "" }.into(),
            optional_2: String::new(),
            filler_check: false,
        }
    }

    impl Doc {
        fn name_field(&self, width: usize) -> String {
            pad(&format!("{}<<{}", self.surname.join("<"), self.given.join("<")), width)
        }

        fn lines(&self) -> Vec<String> {
            let head = format!("{}{}", pad(&self.code, 2), pad(&self.state, 3));
            let nat = pad(&self.nationality, 3);
            let (b, e, sex) = (&self.birth, &self.expiry, self.sex);
            match self.format {
                MrzFormat::Td3 | MrzFormat::Td2 => {
                    let n = pad(&self.number, 9);
                    let td3 = self.format == MrzFormat::Td3;
                    let mut l2 = format!("{n}{}{nat}{b}{}{sex}{e}{}", cd(&n), cd(b), cd(e));
                    if td3 {
                        let p = pad(&self.optional, 14);
                        let pc = if self.optional.is_empty() && self.filler_check { '<' } else { cd(&p) };
                        l2 += &format!("{p}{pc}");
                    } else {
                        l2 += &pad(&self.optional, 7);
                    }
                    let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..]);
                    l2.push(cd(&composite));
                    vec![format!("{head}{}", self.name_field(if td3 { 39 } else { 31 })), l2]
                }
                MrzFormat::Td1 => {
                    let l1 = if self.number.len() <= 9 {
                        let n = pad(&self.number, 9);
                        format!("{head}{n}{}{}", cd(&n), pad(&self.optional, 15))
                    } else {
                        let (main, rest) = self.number.split_at(9);
                        let tail = format!("{rest}{}<{}", cd(&self.number), self.optional);
                        format!("{head}{main}<{}", pad(&tail, 15))
                    };
                    let mut l2 = format!("{b}{}{sex}{e}{}{nat}{}", cd(b), cd(e), pad(&self.optional_2, 11));
                    let composite = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
                    l2.push(cd(&composite));
                    vec![l1, l2, self.name_field(30)]
                }
            }
        }
    }

    /// The fields check digits vouch for, as the parser should return them.
    #[derive(Debug, PartialEq, Eq)]
    struct Covered {
        document_number: String,
        date_of_birth: Option<NaiveDate>,
        expiry_date: Option<NaiveDate>,
        optional_data: String,
        optional_data_2: Option<String>,
    }

    fn covered(m: &Mrz) -> Covered {
        Covered {
            document_number: m.document_number.clone(),
            date_of_birth: m.date_of_birth,
            expiry_date: m.expiry_date,
            optional_data: m.optional_data.clone(),
            optional_data_2: m.optional_data_2.clone(),
        }
    }

    fn expected(doc: &Doc) -> Covered {
        let date = |s: &str, century: i32| {
            let n = |i: usize| s[i..i + 2].parse::<u32>().unwrap();
            NaiveDate::from_ymd_opt(century + i32::try_from(n(0)).unwrap(), n(2), n(4))
        };
        let birth_century = if s_yy(&doc.birth) > 25 { 1900 } else { 2000 };
        Covered {
            document_number: doc.number.clone(),
            date_of_birth: date(&doc.birth, birth_century),
            expiry_date: date(&doc.expiry, 2000),
            optional_data: doc.optional.clone(),
            optional_data_2: (doc.format == MrzFormat::Td1).then(|| doc.optional_2.clone()),
        }
    }

    fn s_yy(s: &str) -> u32 {
        s[0..2].parse().unwrap()
    }

    fn assert_read_as(r: &MrzRead, doc: &Doc) {
        assert!(r.valid, "{doc:?} {r:?}");
        assert!(r.repairs.is_empty() && r.name_fillers.is_empty(), "{doc:?} {r:?}");
        assert_eq!(covered(&r.mrz), expected(doc), "{doc:?}");
        let m = &r.mrz;
        assert_eq!(m.format, doc.format);
        assert_eq!((m.document_code.as_str(), m.issuing_state.as_str()), (doc.code.as_str(), doc.state.as_str()));
        assert_eq!((m.surname.clone(), m.given_names.clone()), (doc.surname.join(" "), doc.given.join(" ")), "{doc:?}");
        assert_eq!(m.nationality, doc.nationality);
        assert_eq!(m.sex, Some(doc.sex).filter(|s| *s != '<'));
        let width = m.raw_name_field.len();
        assert_eq!((m.raw_name_field.clone(), m.name_field.clone()), (doc.name_field(width), doc.name_field(width)));
    }

    // ---- check digits and the specimens ----

    #[test]
    fn check_digit_follows_icao() {
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("D23145890"), Some(7));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some(1));
        assert_eq!(check_digit("<<<<"), Some(0));
        assert_eq!(check_digit(""), Some(0));
        assert_eq!(check_digit("l898902c3"), None, "lower case is not an MRZ character");
        assert_eq!(check_digit("AB-12"), None);
        assert_eq!(check_digit("Ä"), None);
    }

    #[test]
    fn td3_specimen() {
        let r = read(&TD3_SPECIMEN);
        assert_read_as(&r, &specimen(MrzFormat::Td3));
        let m = &r.mrz;
        assert_eq!(m.document_number, "L898902C3");
        assert_eq!((m.surname.as_str(), m.given_names.as_str()), ("ERIKSSON", "ANNA MARIA"));
        assert_eq!((m.date_of_birth, m.expiry_date), (Some(ymd(1974, 8, 12)), Some(ymd(2012, 4, 15))));
        assert_eq!((m.sex, m.optional_data.as_str(), m.optional_data_2.as_ref()), (Some('F'), "ZE184226B", None));
        assert_eq!(
            m.checks,
            CheckDigits {
                document_number: true,
                date_of_birth: true,
                expiry_date: true,
                optional_data: Some(true),
                composite: true
            }
        );
    }

    #[test]
    fn td1_specimen() {
        let r = read(&TD1_SPECIMEN);
        assert_read_as(&r, &specimen(MrzFormat::Td1));
        let m = &r.mrz;
        assert_eq!((m.document_code.as_str(), m.document_number.as_str()), ("I", "D23145890"));
        assert_eq!((m.optional_data.as_str(), m.optional_data_2.as_deref()), ("", Some("")));
        assert_eq!(m.checks.optional_data, None);
        assert_eq!((m.date_of_birth, m.expiry_date), (Some(ymd(1974, 8, 12)), Some(ymd(2012, 4, 15))));
    }

    #[test]
    fn td2_specimen() {
        let r = read(&TD2_SPECIMEN);
        assert_read_as(&r, &specimen(MrzFormat::Td2));
        assert_eq!(r.mrz.document_number, "D23145890");
        assert_eq!(r.mrz.checks.optional_data, None);
    }

    #[test]
    fn the_writer_reproduces_the_specimens() {
        // Guards the test helper itself: the generated cases below are only as good as it is.
        assert_eq!(specimen(MrzFormat::Td3).lines(), TD3_SPECIMEN);
        assert_eq!(specimen(MrzFormat::Td2).lines(), TD2_SPECIMEN);
        assert_eq!(specimen(MrzFormat::Td1).lines(), TD1_SPECIMEN);
    }

    // ---- OCR noise ----

    #[test]
    fn ocr_noise_is_normalised() {
        // Lower case, spaces, a stray mark, `«`, one filler dropped and one doubled, a trailing
        // blank line, and look-alikes in positions whose alphabet settles them.
        let r = read(&[
            "p<ut0 er1ks5on«anna<mar1a<<<<<<<<<<<<<<<<<<",
            "L898902C36 UT0 74O8I2Z F I2O4I59 ZE184226B<<<<<<1O.",
            "  ",
        ]);
        assert_read_as(&r, &specimen(MrzFormat::Td3));
    }

    #[test]
    fn lines_too_far_off_or_unfittable_are_errors() {
        let short = &TD3_SPECIMEN[1][..40];
        assert_eq!(
            parse_at(&[TD3_SPECIMEN[0], short], today()).unwrap_err(),
            MrzError::WrongLength { line: 2, len: 40, expected: 44 }
        );
        // One character short, but no run of fillers to take it from: not guessed at.
        let no_run =
            ["IDUTO1234567897ABCDEFGHIJKLMNO", "8601012M3001019UTOABCDEFGHIJK", "SPECIMEN<<JANE<<<<<<<<<<<<<<<<"];
        assert_eq!(parse_at(&no_run, today()).unwrap_err(), MrzError::WrongLength { line: 2, len: 29, expected: 30 });
        assert_eq!(parse_at(&[TD3_SPECIMEN[0]], today()).unwrap_err(), MrzError::WrongLineCount { found: 1 });
        assert_eq!(parse_at(&[], today()).unwrap_err(), MrzError::WrongLineCount { found: 0 });
        let four = [TD1_SPECIMEN[0], TD1_SPECIMEN[1], TD1_SPECIMEN[2], TD1_SPECIMEN[2]];
        assert_eq!(parse_at(&four, today()).unwrap_err(), MrzError::WrongLineCount { found: 4 });
        assert_eq!(parse_at(&[TD2_SPECIMEN[0], TD3_SPECIMEN[1]], today()).unwrap_err(), MrzError::UnknownFormat);
        assert_eq!(parse_at(&["P<UTO", "L898902C3"], today()).unwrap_err(), MrzError::UnknownFormat);
        assert_eq!(
            MrzError::WrongLength { line: 2, len: 40, expected: 44 }.to_string(),
            "MRZ line 2 has 40 characters, expected 44"
        );
    }

    // ---- repairs ----

    fn with_line(lines: &[String], line: usize, f: impl FnOnce(&mut Vec<u8>)) -> Vec<String> {
        let mut out = lines.to_vec();
        let mut bytes = out[line].clone().into_bytes();
        f(&mut bytes);
        out[line] = String::from_utf8(bytes).unwrap();
        out
    }

    #[test]
    fn a_confusion_confirmed_by_its_check_digit_is_repaired() {
        // `0` read as `O` in the specimen's number: of the nine substitutions the confusion
        // sets allow (L→I/1, 8→B twice, O→0/Q/D, 2→Z), only O→0 satisfies check digit 6.
        let mut lines = TD3_SPECIMEN.map(String::from).to_vec();
        lines[1].replace_range(5..6, "O");
        let r = read(&lines);
        assert_read_as(&MrzRead { repairs: Vec::new(), ..r.clone() }, &specimen(MrzFormat::Td3));
        assert_eq!(r.repairs, vec![Repair { field: MrzField::DocumentNumber, line: 1, column: 5 }]);
    }

    /// Single confusion-set substitutions in `field` that give it `check`: what a careful
    /// human would count, written independently of the parser.
    fn confusion_fixes(field: &str, check: char) -> usize {
        let mut n = 0;
        for (i, c) in field.char_indices() {
            let Some(set) = CONFUSION_SETS.iter().find(|s| s.contains(&(c as u8))) else { continue };
            for &alt in set.iter().filter(|&&a| a != c as u8) {
                let mut candidate = field.to_owned();
                candidate.replace_range(i..i + 1, &char::from(alt).to_string());
                n += usize::from(cd(&candidate) == check);
            }
        }
        n
    }

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            // xorshift64
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap()
        }

        fn range(&mut self, lo: usize, hi: usize) -> usize {
            lo + self.below(hi - lo + 1)
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }

        fn string(&mut self, alphabet: &[u8], len: usize) -> String {
            (0..len).map(|_| char::from(self.pick(alphabet))).collect()
        }
    }

    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    #[test]
    fn every_confusion_is_repaired_when_unique_and_left_alone_when_ambiguous() {
        let mut rng = Rng(0x5eed_0001);
        for set in CONFUSION_SETS {
            for &truth in set {
                for &misread in set.iter().filter(|&&m| m != truth) {
                    if value(truth).unwrap() % 10 == value(misread).unwrap() % 10 {
                        continue; // invisible to check digits: see the test below
                    }
                    // `I` read for a true `1` can also be "repaired" to `L`, which check digits
                    // cannot tell from `1`: such a misread is never uniquely repairable.
                    let twin = set
                        .iter()
                        .any(|&o| o != truth && o != misread && value(o).unwrap() % 10 == value(truth).unwrap() % 10);
                    let (mut unique, mut ambiguous) = (false, false);
                    for _ in 0..2000 {
                        if unique && ambiguous {
                            break;
                        }
                        let mut number = rng.string(ALNUM, 9).into_bytes();
                        let at = rng.below(9);
                        number[at] = truth;
                        let number = String::from_utf8(number).unwrap();
                        let mut doc = specimen(MrzFormat::Td3);
                        doc.number = number.clone();
                        let lines = with_line(&doc.lines(), 1, |l| l[at] = misread);
                        let misread_number = &lines[1][..9];
                        let r = read(&lines);
                        match confusion_fixes(misread_number, cd(&number)) {
                            1 => {
                                unique = true;
                                assert!(r.valid, "{number} read as {misread_number}");
                                assert_eq!(r.mrz.document_number, number);
                                assert_eq!(
                                    r.repairs,
                                    [Repair { field: MrzField::DocumentNumber, line: 1, column: at }]
                                );
                            }
                            n => {
                                assert!(n > 1, "the true reading is always a candidate");
                                ambiguous = true;
                                assert!(!r.valid && r.repairs.is_empty(), "{number} read as {misread_number}");
                                assert_eq!(r.mrz.document_number, misread_number, "left as read");
                                assert!(!r.mrz.checks.document_number);
                            }
                        }
                    }
                    let pair = (char::from(truth), char::from(misread));
                    assert_eq!((unique, ambiguous), (!twin, true), "unique and ambiguous cases for {pair:?}");
                }
            }
        }
    }

    #[test]
    fn confusions_check_digits_cannot_see_pass_unrepaired() {
        // ICAO's limit, not ours: `1`/`L` and `6`/`G` differ by 20 and 10, invisible mod 10.
        for (truth, misread) in [("D23145890", "D23L45890"), ("D23645890", "D23G45890")] {
            let mut doc = specimen(MrzFormat::Td1);
            doc.number = truth.into();
            let lines = with_line(&doc.lines(), 0, |l| l[8] = misread.as_bytes()[3]);
            let r = read(&lines);
            assert!(r.valid && r.repairs.is_empty());
            assert_eq!(r.mrz.document_number, misread, "the check digits vouch for either reading");
        }
    }

    #[test]
    fn the_personal_number_is_repaired_too() {
        // Random personal numbers with one confusion misread: repaired exactly when the
        // reading is unambiguous, and both outcomes must occur.
        let mut rng = Rng(7);
        let (mut seen, mut refused) = (false, false);
        for _ in 0..500 {
            let mut doc = specimen(MrzFormat::Td3);
            doc.optional = rng.string(ALNUM, 14);
            let at = rng.below(14);
            let truth = doc.optional.as_bytes()[at];
            let Some(set) = CONFUSION_SETS.iter().find(|s| s.contains(&truth)) else { continue };
            let misread = rng.pick(set);
            if misread == truth || value(truth).unwrap() % 10 == value(misread).unwrap() % 10 {
                continue;
            }
            let lines = with_line(&doc.lines(), 1, |l| l[28 + at] = misread);
            let r = read(&lines);
            if confusion_fixes(&lines[1][28..42], cd(&doc.optional)) == 1 {
                seen = true;
                assert!(r.valid);
                assert_eq!(r.mrz.optional_data, doc.optional);
                assert_eq!(r.repairs, [Repair { field: MrzField::OptionalData, line: 1, column: 28 + at }]);
            } else {
                refused = true;
                assert!(!r.valid && r.repairs.is_empty());
            }
        }
        assert!(seen && refused);
    }

    #[test]
    fn two_fields_are_repaired_jointly() {
        // Misreads in both the number and the personal number: the composite holds only once
        // both are repaired, so the search is joint.
        // (The specimen's own personal number is ambiguous under every single confusion, so a
        // less confusable one is used.)
        let mut doc = specimen(MrzFormat::Td3);
        doc.optional = "AX7KQ".into();
        let lines = with_line(&doc.lines(), 1, |l| {
            l[5] = b'O';
            l[32] = b'0';
        });
        assert_eq!(confusion_fixes(&lines[1][..9], '6'), 1);
        assert_eq!(confusion_fixes(&lines[1][28..42], cd(&pad(&doc.optional, 14))), 1);
        let r = read(&lines);
        assert_eq!(covered(&r.mrz), expected(&doc));
        assert!(r.valid);
        assert_eq!(
            r.repairs,
            [
                Repair { field: MrzField::DocumentNumber, line: 1, column: 5 },
                Repair { field: MrzField::OptionalData, line: 1, column: 32 }
            ]
        );
    }

    #[test]
    fn a_repair_the_composite_contradicts_is_refused() {
        // The check digit 6 read as 0. Changing the number's `0` to `O` would satisfy that
        // misread check digit, but the composite still holds the truth: no repair, and the
        // number stays as read.
        let lines = with_line(&TD3_SPECIMEN.map(String::from), 1, |l| l[9] = b'0');
        assert_eq!(confusion_fixes(&lines[1][..9], '0'), 1, "the tempting wrong repair exists");
        let r = read(&lines);
        assert!(!r.valid && r.repairs.is_empty());
        assert_eq!(r.mrz.document_number, "L898902C3");
        assert!(!r.mrz.checks.document_number && !r.mrz.checks.composite);
    }

    #[test]
    fn a_misread_digit_without_a_confusion_is_invalid_not_guessed() {
        // Date of birth 740812 read as 740813: reported as read, with its check failing.
        let r = read(&with_line(&TD3_SPECIMEN.map(String::from), 1, |l| l[18] = b'3'));
        assert!(!r.valid && r.repairs.is_empty());
        assert_eq!(r.mrz.date_of_birth, Some(ymd(1974, 8, 13)));
        assert!(!r.mrz.checks.date_of_birth && !r.mrz.checks.composite);
        assert!(r.mrz.checks.document_number && r.mrz.checks.expiry_date);

        // The composite digit itself misread: every field holds, the whole does not.
        let r = read(&with_line(&TD3_SPECIMEN.map(String::from), 1, |l| l[43] = b'8'));
        assert!(!r.valid && r.repairs.is_empty());
        assert!(r.mrz.checks.document_number && r.mrz.checks.date_of_birth && !r.mrz.checks.composite);
    }

    // ---- TD1 long document numbers ----

    #[test]
    fn td1_long_document_number_overflows_into_optional_data() {
        // Example from MRZCode.NET issue #9: a 10-character number.
        let r = read(&[
            "IDUTO123456789<07<<<<<<<<<<<<<",
            "8601012M3001019UTO<<<<<<<<<<<6",
            "SPECIMEN<<JANE<<<<<<<<<<<<<<<<",
        ]);
        assert!(r.valid);
        assert_eq!((r.mrz.document_number.as_str(), r.mrz.optional_data.as_str()), ("1234567890", ""));

        // A 12-character number followed by optional data of its own.
        let mut doc = specimen(MrzFormat::Td1);
        doc.number = "D23145890734".into();
        doc.optional = "AB12".into();
        let lines = doc.lines();
        assert_eq!(lines[0], format!("I<UTOD23145890<734{}<AB12<<<<<<", cd("D23145890734")));
        let r = read(&lines);
        assert_read_as(&r, &doc);

        // Its overflow check digit (column 18) read as `O`: a check digit is a digit, so it is
        // read as 0. The number is chosen so that 0 is its true check digit.
        doc.number = (0..).map(|i| format!("D23145890{i:03}")).find(|n| check_digit(n) == Some(0)).unwrap();
        let lines = with_line(&doc.lines(), 0, |l| {
            assert_eq!(l[18], b'0');
            l[18] = b'O';
        });
        assert_read_as(&read(&lines), &doc);

        // An overflow character misread (5 as S). Four substitutions satisfy the number's own
        // check digit, but the composite weighs the overflow differently from the number's
        // check, and only S→5 satisfies both.
        doc.number = "D23145890512".into();
        let lines = with_line(&doc.lines(), 0, |l| l[15] = b'S');
        assert_eq!(confusion_fixes("D23145890S12", cd("D23145890512")), 4);
        let r = read(&lines);
        assert_read_as(&MrzRead { repairs: Vec::new(), ..r.clone() }, &doc);
        assert_eq!(r.repairs, [Repair { field: MrzField::DocumentNumber, line: 0, column: 15 }]);
    }

    #[test]
    fn a_lone_filler_in_the_check_digit_position_is_not_an_overflow() {
        let r = read(&with_line(&TD1_SPECIMEN.map(String::from), 0, |l| l[14] = b'<'));
        assert!(!r.valid && !r.mrz.checks.document_number);
        assert_eq!(r.mrz.document_number, "D23145890");
    }

    // ---- dates and sex ----

    #[test]
    fn birth_century_follows_today_and_expiry_is_this_century() {
        let mut doc = specimen(MrzFormat::Td3);
        for (birth, want) in [("250615", ymd(2025, 6, 15)), ("260101", ymd(1926, 1, 1)), ("000229", ymd(2000, 2, 29))] {
            doc.birth = birth.into();
            assert_eq!(read(&doc.lines()).mrz.date_of_birth, Some(want));
        }
        let later = NaiveDate::from_ymd_opt(2031, 1, 1).unwrap();
        doc.birth = "300101".into();
        let lines: Vec<String> = doc.lines();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(parse_at(&refs, later).unwrap().mrz.date_of_birth, Some(ymd(2030, 1, 1)));
        assert_eq!(parse_at(&refs, today()).unwrap().mrz.date_of_birth, Some(ymd(1930, 1, 1)));
        assert!(parse(&refs).unwrap().valid, "parse() uses the real clock; validity does not depend on it");

        doc.expiry = "991231".into();
        assert_eq!(read(&doc.lines()).mrz.expiry_date, Some(ymd(2099, 12, 31)));
        doc.expiry = "000101".into();
        assert_eq!(read(&doc.lines()).mrz.expiry_date, Some(ymd(2000, 1, 1)));
    }

    #[test]
    fn impossible_or_unknown_dates_are_none_but_still_checked() {
        let mut doc = specimen(MrzFormat::Td3);
        doc.birth = "740231".into();
        let r = read(&doc.lines());
        assert!(r.valid && r.mrz.date_of_birth.is_none());
        doc.birth = "7408<<".into(); // day unknown, as ICAO allows
        let r = read(&doc.lines());
        assert!(r.valid && r.mrz.date_of_birth.is_none());
    }

    #[test]
    fn sex_is_m_f_or_none() {
        let mut doc = specimen(MrzFormat::Td2);
        for (written, want) in [('M', Some('M')), ('F', Some('F')), ('<', None), ('X', None)] {
            doc.sex = written;
            assert_eq!(read(&doc.lines()).mrz.sex, want);
        }
    }

    #[test]
    fn an_all_filler_personal_number_may_carry_a_filler_check_digit() {
        let mut doc = specimen(MrzFormat::Td3);
        doc.optional = String::new();
        for filler_check in [true, false] {
            doc.filler_check = filler_check;
            let r = read(&doc.lines());
            assert!(r.valid && r.mrz.checks.optional_data == Some(true));
            assert_eq!(r.mrz.optional_data, "");
        }
        // But `<` does not stand in for the check digit of a non-empty personal number.
        let r = read(&with_line(&TD3_SPECIMEN.map(String::from), 1, |l| l[42] = b'<'));
        assert_eq!(r.mrz.checks.optional_data, Some(false));
    }

    // ---- names ----

    fn cleaned(field: &str) -> (String, String, String) {
        let mut bytes = field.as_bytes().to_vec();
        clean_name_fillers(&mut bytes);
        let (surname, given) = split_names(&bytes);
        (String::from_utf8(bytes).unwrap(), surname, given)
    }

    fn names(field: &str) -> (String, String) {
        let (_, surname, given) = cleaned(field);
        (surname, given)
    }

    fn n(surname: &str, given: &str) -> (String, String) {
        (surname.into(), given.into())
    }

    #[test]
    fn misread_filler_runs_are_cleaned() {
        assert_eq!(cleaned("SMITH<<JOHN<<<<KKK<K<<"), ("SMITH<<JOHN<<<<<<<<<<<".into(), "SMITH".into(), "JOHN".into()));
        assert_eq!(cleaned("SMITH<<JOHNKKKKXKK"), ("SMITH<<JOHN<<<<<<<".into(), "SMITH".into(), "JOHN".into()));
        assert_eq!(names("SMITH<<JOHN<KKK<<KK<"), n("SMITH", "JOHN"));
        assert_eq!(names("SMITH<<JOHN<KSK<<<<"), n("SMITH", "JOHN"), "K/X-majority group");
        assert_eq!(names("SMITH<<JOHN<K<<<<<<"), n("SMITH", "JOHN"), "a lone K between fillers");
        assert_eq!(names("SMITH<<JOHN<<<<XSE<CL<<"), n("SMITH", "JOHN"), "after the names' end, any look-alikes");
        assert_eq!(names("DOE<<KKKKKKKK"), n("DOE", ""), "no given names, all fillers misread");
        assert_eq!(names("DOE<<<<KKK<<"), n("DOE", ""));
        assert_eq!(names("SMITHKKKKKKKK"), n("SMITH", ""), "an obvious trailing run of the surname");
        assert_eq!(names("SMITH<KKKK<KK"), n("SMITH", ""));
        assert_eq!(names("ERIKSSON<<ANNA<MARIA<<<<<<<<<<"), n("ERIKSSON", "ANNA MARIA"));
    }

    #[test]
    fn real_names_with_look_alike_letters_survive() {
        for field in [
            "KASKX<<SKY<<<<<<<<",
            "MAXXIS<<SKS<<<<<<<",
            "SKS<<MAXXIS<<<<<<<",
            "SKS<<<<<<<<<<<<<<<",
            "KKK<<JOHN<<<<<<<<<",
            "DOE<<LEE<<<<<<<<<<",
            "DOE<<JOHN<LEE<<<<<",
            "DOE<<ELLE<<<<<<<<<",
            "DOE<<ALEX<<<<<<<<<",
            "DOE<<JACK<<<<<<<<<",
            "DOE<<MAXX<<<<<<<<<",
            "DOE<<DIRK<<<<<<<<<",
            "DOE<<JOHN<K<PAUL<<",
            "DOE<<JOHN<SKS<<<<<",
            "DOE<<JOHN<XS<<<<<<",
            "MALCOLM<X<<<<<<<<<",
            "VAN<DER<BERG<<ELSE",
            "DOE<<ANNE<MICHELLE",
            "DOE<<HEIKKI<<<<<<<",
        ] {
            let (out, ..) = cleaned(field);
            assert_eq!(out, field, "{field} must not be touched");
        }
        assert_eq!(names("KASKX<<SKY<<<<<<<<"), n("KASKX", "SKY"));
        assert_eq!(names("VAN<DER<BERG<<ELSE"), n("VAN DER BERG", "ELSE"));
        assert_eq!(names("MALCOLM<X<<<<<<<<<"), n("MALCOLM X", ""));
    }

    #[test]
    fn the_documented_limits_of_the_filler_heuristic() {
        // An initial K at the end of the given names reads like a filler and is lost.
        assert_eq!(names("DOE<<JOHN<K<<<<<<"), n("DOE", "JOHN"));
        // A name ending in K or X with its first filler misread too loses that letter.
        assert_eq!(names("DOE<<ALEXKKK<<<<<"), n("DOE", "ALE"));
        // Look-alikes other than K/X before the names' end are left alone.
        assert_eq!(names("DOE<<JOHN<SE<<<<<"), n("DOE", "JOHN SE"));
        // Two glued K/X are not enough to strip.
        assert_eq!(names("DOE<<JOHNKK<<<<<<"), n("DOE", "JOHNKK"));
        // Letters outside the look-alikes after the end are kept (the MRZ is malformed anyway).
        assert_eq!(names("DOE<<JOHN<<PAUL<<"), n("DOE", "JOHN PAUL"));
    }

    #[test]
    fn filler_repair_in_a_full_read_keeps_the_raw_field_and_validity() {
        let lines = [format!("P<UTO{}", pad("ERIKSSON<<ANNA<MARIA<<<KKK<<K", 39)), TD3_SPECIMEN[1].to_owned()];
        let r = read(&lines);
        assert!(r.valid, "names are not covered by check digits");
        assert_eq!((r.mrz.surname.as_str(), r.mrz.given_names.as_str()), ("ERIKSSON", "ANNA MARIA"));
        assert_eq!(r.mrz.raw_name_field, pad("ERIKSSON<<ANNA<MARIA<<<KKK<<K", 39));
        assert_eq!(r.mrz.name_field, pad("ERIKSSON<<ANNA<MARIA", 39));
        assert_eq!(r.name_fillers, vec![23, 24, 25, 28]);
    }

    // ---- PII hygiene ----

    #[test]
    fn debug_is_redacted_and_serialisation_is_complete() {
        let r = read(&TD3_SPECIMEN);
        let debug = format!("{r:?}");
        for secret in ["ERIKSSON", "ANNA", "L898902C3", "1974", "ZE184226B", "UTO"] {
            assert!(!debug.contains(secret), "{secret} leaked into {debug}");
        }
        assert!(debug.contains("Td3") && debug.contains("[redacted]"));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["mrz"]["document_number"], "L898902C3");
        assert_eq!(json["mrz"]["date_of_birth"], "1974-08-12");
        assert_eq!(json["mrz"]["format"], "td3");
        assert_eq!(json["valid"], true);
    }

    // ---- property tests ----

    /// A plausible name part: the filler heuristic's documented limits are tested above, so
    /// the generator avoids parts made only of look-alikes or ending in three K/X.
    fn name_part(rng: &mut Rng, lo: usize, hi: usize) -> String {
        loop {
            let len = rng.range(lo, hi);
            let part = rng.string(LETTERS, len);
            let all_lookalike = part.bytes().all(|b| FILLER_LOOKALIKES.contains(&b));
            let glued = part.bytes().rev().take_while(|b| matches!(b, b'K' | b'X')).count();
            if !all_lookalike && glued < 3 {
                return part;
            }
        }
    }

    fn random_doc(rng: &mut Rng) -> Doc {
        let format = rng.pick(&[MrzFormat::Td1, MrzFormat::Td2, MrzFormat::Td3]);
        let name_width = match format {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 31,
            MrzFormat::Td3 => 39,
        };
        let (surname, given) = loop {
            let surname: Vec<String> = (0..rng.range(1, 2)).map(|_| name_part(rng, 2, 8)).collect();
            let given: Vec<String> = (0..rng.range(0, 2)).map(|_| name_part(rng, 2, 7)).collect();
            if surname.join("<").len() + 2 + given.join("<").len() <= name_width {
                break (surname, given);
            }
        };
        let country = |rng: &mut Rng| if rng.below(5) == 0 { "D".to_owned() } else { rng.string(LETTERS, 3) };
        let long = format == MrzFormat::Td1 && rng.below(4) == 0;
        let number_len = if long { rng.range(10, 13) } else { rng.range(5, 9) };
        let number = rng.string(ALNUM, number_len);
        let date = |rng: &mut Rng, years: (usize, usize)| {
            let year = rng.range(years.0, years.1) % 100;
            format!("{year:02}{:02}{:02}", rng.range(1, 12), rng.range(1, 28))
        };
        let optional_room = match format {
            MrzFormat::Td3 => 14,
            MrzFormat::Td2 => 7,
            MrzFormat::Td1 if long => 15 - (number.len() - 9) - 2,
            MrzFormat::Td1 => 15,
        };
        let optional_len = if rng.below(3) == 0 { 0 } else { rng.range(1, optional_room) };
        let optional_2_len = if format == MrzFormat::Td1 { rng.range(0, 11) } else { 0 };
        Doc {
            format,
            code: rng.pick(&["P", "I", "ID", "AC", "V"]).into(),
            state: country(rng),
            surname,
            given,
            number,
            nationality: country(rng),
            birth: date(rng, (1926, 2025)),
            sex: char::from(rng.pick(b"MF<")),
            expiry: date(rng, (2000, 2099)),
            optional: rng.string(ALNUM, optional_len),
            optional_2: rng.string(ALNUM, optional_2_len),
            filler_check: rng.below(2) == 0,
        }
    }

    fn layout_of(format: MrzFormat) -> &'static Layout {
        match format {
            MrzFormat::Td1 => &TD1,
            MrzFormat::Td2 => &TD2,
            MrzFormat::Td3 => &TD3,
        }
    }

    /// Whether the position is in a field whose own check digit lines up with the composite's
    /// weights, where the repair is exact under the confusion model (the TD1 overflow is not).
    fn aligned_field(doc: &Doc, (line, column): Pos) -> Option<Span> {
        let layout = layout_of(doc.format);
        let long = doc.number.len() > 9;
        [Some(layout.document_number).filter(|_| !long), layout.optional_check.map(|_| layout.optional)]
            .into_iter()
            .flatten()
            .find(|s| s.contains((line, column)))
    }

    #[test]
    fn generated_mrzs_round_trip() {
        let mut rng = Rng(0x00c0_ffee);
        for _ in 0..2000 {
            let doc = random_doc(&mut rng);
            assert_read_as(&read(&doc.lines()), &doc);
        }
    }

    #[test]
    fn ocr_confusions_are_repaired_exactly_or_left_invalid() {
        let mut rng = Rng(0x0dd_ba11);
        let (mut repaired, mut refused, mut invisible, mut normalised) = (0, 0, 0, 0);
        for _ in 0..2000 {
            let doc = random_doc(&mut rng);
            let lines = doc.lines();
            let layout = layout_of(doc.format);
            // A character that has look-alikes, replaced by one of them.
            let confusable: Vec<Pos> = (0..lines.len())
                .flat_map(|l| (0..layout.line_len).map(move |c| (l, c)))
                .filter(|&(l, c)| CONFUSION_SETS.iter().any(|s| s.contains(&lines[l].as_bytes()[c])))
                .collect();
            let pos = rng.pick(&confusable);
            let truth = lines[pos.0].as_bytes()[pos.1];
            let set = CONFUSION_SETS.iter().find(|s| s.contains(&truth)).unwrap();
            let misread = loop {
                let m = rng.pick(set);
                if m != truth {
                    break m;
                }
            };
            let bad = with_line(&lines, pos.0, |l| l[pos.1] = misread);
            let r = read(&bad);
            let same = covered(&r.mrz) == expected(&doc);
            let class = layout.class(pos);
            let blind = value(truth).unwrap() % 10 == value(misread).unwrap() % 10;
            let context = format!("{doc:?} {pos:?} {} -> {}", char::from(truth), char::from(misread));

            if class != Class::Any {
                // Digit-only and letter-only positions: the look-alike maps back, or it is a
                // letter-for-letter swap in a field no check digit covers.
                assert!(r.valid && same && r.repairs.is_empty(), "{context}");
                normalised += 1;
            } else if r.valid && same && r.repairs.is_empty() {
                // A TD1 overflow check digit, which sits in the alphanumeric area but is a digit.
                normalised += 1;
            } else if r.valid && same {
                assert_eq!(r.repairs.len(), 1, "{context}");
                assert_eq!((r.repairs[0].line, r.repairs[0].column), pos, "{context}");
                repaired += 1;
            } else if r.valid {
                // Invisible to every check digit: reported valid, exactly as read, no repair.
                assert!(blind && r.repairs.is_empty(), "a valid read must be the original: {context}");
                invisible += 1;
            } else {
                assert!(!blind && r.repairs.is_empty(), "{context}");
                refused += 1;
            }
            // Where the repair is exact, it happens precisely when the reading is unambiguous.
            if let Some(span) = aligned_field(&doc, pos).filter(|_| !blind) {
                let field = &bad[span.line][span.start..span.end()];
                let check = char::from(lines[span.line].as_bytes()[span.end()]);
                assert_eq!(r.valid, confusion_fixes(field, check) == 1, "{context}");
            }
        }
        // The outcome counts keep the test honest: each path must actually be exercised.
        assert!(
            repaired > 100 && refused > 100 && invisible > 20 && normalised > 500,
            "{repaired} {refused} {invisible} {normalised}"
        );
    }

    #[test]
    fn arbitrary_misreads_never_yield_a_silent_wrong_valid_read() {
        let mut rng = Rng(0x00ba_d5ee);
        let (mut digit_flips, mut wrong_repairs, mut any_flips, mut invisible) = (0, 0, 0, 0);
        let (mut repairable_flips, mut wrong_in_repairable) = (0usize, 0usize);
        for _ in 0..2000 {
            let doc = random_doc(&mut rng);
            let lines = doc.lines();
            let layout = layout_of(doc.format);
            let pos = (rng.below(lines.len()), rng.below(layout.line_len));
            let truth = lines[pos.0].as_bytes()[pos.1];
            let class = layout.class(pos);
            let alphabet: &[u8] = match class {
                Class::Numeric => b"0123456789",
                Class::Alpha => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ<",
                Class::Any => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<",
            };
            let misread = loop {
                let m = rng.pick(alphabet);
                if m != truth {
                    break m;
                }
            };
            let r = read(&with_line(&lines, pos.0, |l| l[pos.1] = misread));
            let same = covered(&r.mrz) == expected(&doc);
            let blind = value(truth).unwrap() % 10 == value(misread).unwrap() % 10;
            let context = format!("{doc:?} {pos:?} {} -> {}", char::from(truth), char::from(misread));
            match class {
                // Dates and check digits: a changed digit is always caught, never "repaired".
                Class::Numeric => {
                    digit_flips += 1;
                    assert!(!r.valid || same, "{context}");
                    assert!(r.repairs.is_empty(), "{context}");
                }
                // Codes, names, nationality, sex: no check digit covers them.
                Class::Alpha => assert!(r.valid && same, "{context}"),
                Class::Any => {
                    any_flips += 1;
                    let layout = layout_of(doc.format);
                    let in_number = layout.document_number.contains(pos)
                        || (doc.number.len() > 9 && layout.optional.contains(pos) && pos.1 < 15 + doc.number.len() - 9);
                    let repairable = in_number || (layout.optional_check.is_some() && layout.optional.contains(pos));
                    if repairable && !blind {
                        repairable_flips += 1;
                        wrong_in_repairable += usize::from(r.valid && !same);
                    }
                    if r.valid && !same {
                        if r.repairs.is_empty() {
                            // Only what the check digits cannot see may pass unrepaired.
                            assert!(blind, "{context}");
                            invisible += 1;
                        } else {
                            // A non-confusion misread "repaired" elsewhere into another number
                            // every check digit accepts: the documented residual risk.
                            wrong_repairs += 1;
                        }
                    }
                }
            }
        }
        assert!(digit_flips > 300 && any_flips > 300 && repairable_flips > 200, "{digit_flips} {any_flips}");
        assert!(invisible > 0);
        // Measured with this seed: 61 of 301 detectable misreads inside a document number or
        // personal number (20%), 61 of 581 over all alphanumeric positions. The bounds catch a
        // repair search that grows bolder.
        assert!(wrong_in_repairable * 100 < repairable_flips * 25, "{wrong_in_repairable} of {repairable_flips}");
        assert!(wrong_repairs * 100 < any_flips * 13, "{wrong_repairs} of {any_flips}");
    }
}
