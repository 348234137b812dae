//! The Protocol Buffers wire format, the little of it an ONNX file needs: varints,
//! length-delimited fields (strings, bytes, nested messages) and nothing else. Written by hand
//! rather than with a protobuf crate, so the page's wasm stays small.
//!
//! A field is a key, `field_number << 3 | wire_type`, as a varint, then its value: wire type 0
//! a varint, wire type 2 a varint length and that many bytes
//! (<https://protobuf.dev/programming-guides/encoding/>).

/// One message being encoded: fields are appended in the order they are written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Message {
    bytes: Vec<u8>,
}

/// Wire type of a varint field (`int64`, `int32`, enums).
const VARINT: u64 = 0;
/// Wire type of a length-delimited field (`string`, `bytes`, messages).
const LENGTH_DELIMITED: u64 = 2;
/// Wire type of a four-byte field (`float`, `fixed32`).
const FIXED32: u64 = 5;

impl Message {
    /// An empty message.
    pub(crate) fn new() -> Message {
        Message::default()
    }

    /// The encoded message.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Appends `value` as a base-128 varint: 7 bits a byte, least significant first, the high
    /// bit set on every byte but the last.
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value & 0x7f) as u8 | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    fn key(&mut self, field: u32, wire_type: u64) {
        self.varint(u64::from(field) << 3 | wire_type);
    }

    /// An `int64`, `int32` or enum field. Negative numbers take ten bytes (two's complement, as
    /// protobuf's `int64` encodes them).
    pub(crate) fn int(&mut self, field: u32, value: i64) -> &mut Message {
        self.key(field, VARINT);
        self.varint(value as u64);
        self
    }

    /// A `float` field: four bytes, little-endian.
    pub(crate) fn float(&mut self, field: u32, value: f32) -> &mut Message {
        self.key(field, FIXED32);
        self.bytes.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// A `bytes` field.
    pub(crate) fn bytes(&mut self, field: u32, value: &[u8]) -> &mut Message {
        self.key(field, LENGTH_DELIMITED);
        self.varint(value.len() as u64);
        self.bytes.extend_from_slice(value);
        self
    }

    /// A `string` field (UTF-8).
    pub(crate) fn string(&mut self, field: u32, value: &str) -> &mut Message {
        self.bytes(field, value.as_bytes())
    }

    /// A nested message field.
    pub(crate) fn message(&mut self, field: u32, value: &Message) -> &mut Message {
        self.bytes(field, &value.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(build: impl FnOnce(&mut Message) -> &mut Message) -> Vec<u8> {
        let mut m = Message::new();
        build(&mut m);
        m.into_bytes()
    }

    /// The examples of the protobuf encoding guide, worked by hand: 150 in field 1 is
    /// `08 96 01` (150 = 0b1_0010110: low seven bits 0x16 with the continuation bit, 0x96, then
    /// 1), "testing" in field 2 is `12 07` and the letters, a message holding `08 96 01` in
    /// field 3 is `1a 03 08 96 01`.
    #[test]
    fn the_encoding_guides_examples() {
        assert_eq!(encoded(|m| m.int(1, 150)), [0x08, 0x96, 0x01]);
        assert_eq!(
            encoded(|m| m.string(2, "testing")),
            [0x12, 0x07, b't', b'e', b's', b't', b'i', b'n', b'g']
        );
        let mut inner = Message::new();
        inner.int(1, 150);
        assert_eq!(
            encoded(|m| m.message(3, &inner)),
            [0x1a, 0x03, 0x08, 0x96, 0x01]
        );
    }

    /// Varint edges: 0 and 127 take one byte, 128 two (`80 01`), 2^63 ten; -1 is 2^64 - 1, ten
    /// bytes: nine of `ff` and a last `01`. Field 16 needs a two-byte key: 16 << 3 = 128.
    #[test]
    fn varints_at_their_edges() {
        assert_eq!(encoded(|m| m.int(1, 0)), [0x08, 0x00]);
        assert_eq!(encoded(|m| m.int(1, 127)), [0x08, 0x7f]);
        assert_eq!(encoded(|m| m.int(1, 128)), [0x08, 0x80, 0x01]);
        let mut minus_one = vec![0x08];
        minus_one.extend([0xff; 9]);
        minus_one.push(0x01);
        assert_eq!(encoded(|m| m.int(1, -1)), minus_one);
        let mut min = vec![0x08];
        min.extend([0x80; 9]);
        min.push(0x01);
        assert_eq!(encoded(|m| m.int(1, i64::MIN)), min);
        assert_eq!(encoded(|m| m.int(16, 3)), [0x80, 0x01, 0x03]);
    }

    /// A length of 300 (`ac 02`: 300 = 2 * 128 + 44, 44 | 0x80 = 0xac) before 300 bytes, and
    /// fields one after another in the order written.
    #[test]
    fn long_fields_and_order() {
        let data = vec![7u8; 300];
        let bytes = encoded(|m| m.bytes(9, &data).int(2, 1));
        assert_eq!(&bytes[..3], [0x4a, 0xac, 0x02]);
        assert_eq!(&bytes[3..303], &data[..]);
        assert_eq!(&bytes[303..], [0x10, 0x01]);
    }
}
