"""Writes the safetensors seeds for fuzz-safetensors: a tiny generator-shaped file and two edge cases.
Pure Python (no safetensors package), so the seeds come out the same anywhere: python3 make_safetensors.py"""
import json, struct, os

def write(path, tensors, metadata=None):
    header, data = {}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)

def floats(n, fmt="<f", start=0.0):
    return b"".join(struct.pack(fmt, start + 0.25 * i) for i in range(n))

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "safetensors")
os.makedirs(here, exist_ok=True)
write(os.path.join(here, "generator.safetensors"), {
    "g.fc.weight": ("F32", [16, 8], floats(128)),
    "g.fc.bias": ("F32", [16], floats(16)),
    "g.bn0.running_mean": ("F32", [4], floats(4)),
    "g.conv1.weight": ("F16", [2, 2, 3, 3], floats(36, "<e")),
    "g.conv1.bias": ("BF16", [2], b"\x80\x3f\x00\x40"),
    "step": ("I64", [1], struct.pack("<q", 1234)),
    "rng": ("U64", [4], struct.pack("<4Q", 1, 2, 3, 2**63)),
}, {"format": "neurossia-generator/1", "architecture": "dcgan",
    "counters": json.dumps({"imagesSeen": 6400, "step": 100})})
write(os.path.join(here, "scalars.safetensors"), {
    "scalar": ("F64", [], struct.pack("<d", 3.5)),
    "empty": ("F32", [0, 4], b""),
    "flag": ("BOOL", [2], b"\x01\x00"),
    "bytes": ("U8", [3], b"abc"),
})
write(os.path.join(here, "empty.safetensors"), {}, {})
