//! JSON in and out, against references the wasm leaves out: `decimal::to_f64` against the
//! standard library's exact parser, `json_text::parse` against serde_json's own exact reader
//! (its `float_roundtrip` feature), and `json_text::to_string` against serde_json's writer, on
//! hard cases and random ones.

use eda_sim::decimal::to_f64;
use eda_sim::json_text::{float, parse, to_string};
use proptest::prelude::*;
use serde_json::Value;

fn agrees(text: &str) {
    let expected: f64 = text.parse().unwrap();
    let got = to_f64(text);
    if expected.is_infinite() {
        assert_eq!(got, None, "{text}");
    } else {
        assert_eq!(got.map(f64::to_bits), Some(expected.to_bits()), "{text}");
    }
}

#[test]
fn hard_cases_match_the_standard_library() {
    for text in [
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1",
        "0.1",
        "0.30000000000000004",
        "1e23",
        "8.98846567431158e307",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2e308",
        "1e309",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "2.2250738585072014e-308",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "5e-324",
        "1e-400",
        "9007199254740993",
        "9007199254740992",
        "9007199254740994.5",
        "18446744073709551616",
        "123456789012345678901234567890",
        "0.000000000000000000000000000001",
        "7.2057594037927933e16",
        "1e-7",
        "2.5e21",
        "100000000000000000000000",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "0.000001e6",
        "1E+2",
        "1e-0",
        "123.456e-2",
        "1e1000000000000",
        "1e-1000000000000",
    ] {
        agrees(text);
    }
}

#[test]
fn a_thousand_digits_round_by_all_of_them() {
    // Just above the halfway point between 1 and the next float, the 1 at digit 1,000.
    let halfway = "1.00000000000000011102230246251565404236316680908203125";
    let text = format!("{halfway}{}1", "0".repeat(1000));
    agrees(&text);
    agrees(&format!("{halfway}{}", "0".repeat(1000)));
}

proptest! {
    #[test]
    fn every_float_reads_back_from_its_shortest_and_long_forms(bits in any::<u64>()) {
        let value = f64::from_bits(bits);
        prop_assume!(value.is_finite());
        for text in [format!("{value:e}"), format!("{value:.20e}"), format!("{value:.40e}"), format!("{value:?}")] {
            agrees(&text);
        }
    }

    #[test]
    fn random_decimals_match_the_standard_library(
        negative in any::<bool>(), whole in "[0-9]{1,25}", fraction in "[0-9]{0,25}", exponent in -360i32..360,
    ) {
        let sign = if negative { "-" } else { "" };
        let text = if fraction.is_empty() { format!("{sign}{whole}e{exponent}") } else { format!("{sign}{whole}.{fraction}e{exponent}") };
        agrees(&text);
    }
}

/// `parse` gives what serde_json's exact reader gives: the same value, or the same message.
fn parses_like_serde_json(text: &str) {
    let expected = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
    let got = parse(text.as_bytes()).map_err(|e| e.to_string());
    match (&expected, &got) {
        // Values compare floats by value; compare their bits too (-0.0, last digits).
        (Ok(a), Ok(b)) => assert_eq!(
            serde_json::to_string(a).unwrap(),
            serde_json::to_string(b).unwrap(),
            "{text}"
        ),
        _ => assert_eq!(got, expected, "{text}"),
    }
}

#[test]
fn documents_read_as_serde_json_reads_them() {
    for text in [
        r#"{"b": [1, -2, 2.5, -0, -0.0, 1e2, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]}"#,
        r#"{"a": 1, "a": 2, "z": {"y": [true, false, null, "x\n\"y\" \u00e9 \ud83d\ude00"]}, "": []}"#,
        "  [ 0.30000000000000004 , 1.7976931348623157e308, 5e-324, 2e-400 ]  ",
        "\n\n  {\"k\":\n [1e400]}",
        "[1,\n 2,\n -1e999]",
        "[1, 2",
        "{\"a\" 1}",
        "[1] x",
        "{\"s\": \"\\ud800\"}",
        "{\n  \"outer\": {\n    \"s\": \"ok\", \"t\": \"\\udfff\"\n  }\n}",
        "[\"\\ud800\\u0041\"]",
        "\"\\udc00\"",
        "\"\\ud800x\"",
        "\"\\ud800\"",
        "\"\\ud800\\n\"",
        "[\"ok\", \"\\ud83d\\ude00\\ud800\"]",
        "{\n \"a\": [1,\n  \"\\ud800\"]\n}",
        "\"\\b\\f\\n\\r\\t\\/\\\\\\\"\\u0000\\uFFFF\\u00E9\"",
        " { \"a\" : [ 1 , 2 ] ,\r\n\t\"b\" : { } , \"c\":\"\" } ",
        "",
        "   ",
        "nul",
        "[01]",
        "[1.]",
        "[-]",
        "\"\\x\"",
        &format!("{}1{}", "[".repeat(127), "]".repeat(127)),
        &format!("{}1{}", "[".repeat(128), "]".repeat(128)),
        &format!("{}1{}", "{\"a\":\n".repeat(128), "}".repeat(128)),
        &format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        &format!("[1{}]", "0".repeat(400)),
        &format!("[0.{}1]", "0".repeat(400)),
    ] {
        parses_like_serde_json(text);
    }
}

#[test]
fn a_control_character_in_a_string_is_refused_where_it_stands() {
    // serde_json's check places this one a column earlier than its value reader: at the
    // character itself.
    let error = parse(b"[\"a\x01b\"]").unwrap_err().to_string();
    assert_eq!(
        error,
        "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"
    );
}

fn json_number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>()
            .prop_map(f64::from_bits)
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        ("-?(0|[1-9][0-9]{0,30})", "(\\.[0-9]{1,30})?", "([eE][+-]?[0-9]{1,3})?")
            .prop_map(|(a, b, c)| format!("{a}{b}{c}")),
    ]
}

fn json_document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        json_number(),
        Just("null".to_string()),
        Just("true".to_string()),
        "[a-z\u{e9}\u{1f600} ]{0,6}".prop_map(|s| format!("{s:?}")),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members.into_iter().map(|(k, v)| format!("{k:?}:\n {v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #[test]
    fn random_documents_read_as_serde_json_reads_them(text in json_document()) {
        parses_like_serde_json(&text);
    }
}

/// serde_json's compact writer with the program's float formatting: what `to_string` was.
fn serde_json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    struct ShortestFloats;
    impl serde_json::ser::Formatter for ShortestFloats {
        fn write_f64<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f64) -> std::io::Result<()> {
            writer.write_all(float(value).as_bytes())
        }
        fn write_f32<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f32) -> std::io::Result<()> {
            writer.write_all(float(f64::from(value)).as_bytes())
        }
    }
    let mut out = Vec::new();
    value
        .serialize(&mut serde_json::Serializer::with_formatter(&mut out, ShortestFloats))
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).unwrap())
}

fn writes_like_serde_json<T: serde::Serialize + ?Sized>(value: &T) {
    let expected = serde_json_text(value).unwrap();
    assert_eq!(to_string(value).unwrap(), expected);
}

#[test]
fn every_record_of_every_preset_is_written_as_serde_json_writes_it() {
    for preset in eda_sim::presets::PRESETS {
        let scenario = eda_sim::Scenario::from_json(preset.json).unwrap();
        let mut sim = eda_sim::Sim::new(&scenario).unwrap();
        match scenario.duration {
            Some(until) => sim.run_until(eda_sim::SimTime(until.0)).map(|_| ()),
            None => sim.run_to_end(eda_sim::presets::GOLDEN_RUN_MAX_EVENTS).map(|_| ()),
        }
        .unwrap();
        let records = sim.trace().records();
        assert!(records.len() > 10, "{}", preset.id);
        for record in records {
            writes_like_serde_json(&record.kind);
        }
        writes_like_serde_json(&sim.report());
    }
}

#[test]
fn every_shape_of_serde_data_is_written_as_serde_json_writes_it() {
    use std::collections::BTreeMap;
    #[derive(serde::Serialize)]
    struct Unit;
    #[derive(serde::Serialize)]
    struct Newtype(u8);
    #[derive(serde::Serialize)]
    struct Pair(i16, String);
    #[derive(serde::Serialize)]
    enum Shape {
        Plain,
        Wrapped(Option<u32>),
        Tuple(u8, char),
        Fields { a: f32, b: Vec<bool> },
    }
    #[derive(serde::Serialize)]
    struct Everything {
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        pair: Pair,
        shapes: Vec<Shape>,
        empty: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        floats: [f64; 6],
        text: &'static str,
        by_number: BTreeMap<i64, &'static str>,
        by_flag: BTreeMap<bool, u8>,
        by_char: BTreeMap<char, u8>,
        nested: Option<Option<Vec<Vec<u64>>>>,
        extremes: (i8, i64, u64),
    }
    writes_like_serde_json(&Everything {
        unit: (),
        unit_struct: Unit,
        newtype: Newtype(7),
        pair: Pair(-3, "x".into()),
        shapes: vec![
            Shape::Plain,
            Shape::Wrapped(None),
            Shape::Wrapped(Some(4)),
            Shape::Tuple(1, 'é'),
            Shape::Fields {
                a: 0.5,
                b: vec![true, false],
            },
            Shape::Fields { a: f32::NAN, b: vec![] },
        ],
        empty: vec![],
        empty_map: BTreeMap::new(),
        floats: [0.1, -0.0, 1e300, 5e-324, f64::INFINITY, 1e-7],
        text: "quote \" backslash \\ controls \u{0}\u{8}\u{c}\n\r\t\u{1f}\u{7f} ünï →",
        by_number: BTreeMap::from([(-1, "minus"), (2, "two")]),
        by_flag: BTreeMap::from([(false, 0), (true, 1)]),
        by_char: BTreeMap::from([('k', 1)]),
        nested: Some(Some(vec![vec![], vec![1, u64::MAX]])),
        extremes: (i8::MIN, i64::MIN, u64::MAX),
    });
}

#[test]
fn what_json_cannot_hold_is_an_error_not_a_guess() {
    assert_eq!(
        to_string(&u128::MAX).unwrap_err().to_string(),
        "the value cannot be written as JSON"
    );
}

proptest! {
    #[test]
    fn random_documents_are_written_as_serde_json_writes_them(text in json_document()) {
        let value = parse(text.as_bytes());
        prop_assume!(value.is_ok());
        writes_like_serde_json(&value.unwrap());
    }
}
