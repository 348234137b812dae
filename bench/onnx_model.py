"""Writes a model file's network (data/model.json's layers) as an ONNX graph for ONNX Runtime Web:
MatMul, Add and Relu per hidden layer, Sigmoid at the end; input `x` (rows x features), output
`score` (rows x 1). Usage: onnx_model.py <model.json> <out.onnx>"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def graph(layers):
    nodes, weights, current = [], [], "x"
    for k, layer in enumerate(layers):
        w = np.array(layer["weights"], dtype=np.float32).reshape(layer["inputs"], layer["outputs"])
        b = np.array(layer["bias"], dtype=np.float32)
        weights += [numpy_helper.from_array(w, f"w{k}"), numpy_helper.from_array(b, f"b{k}")]
        out = "score" if k == len(layers) - 1 else f"h{k}"
        activation = {"relu": "Relu", "sigmoid": "Sigmoid"}[layer["activation"]]
        nodes += [
            helper.make_node("MatMul", [current, f"w{k}"], [f"m{k}"]),
            helper.make_node("Add", [f"m{k}", f"b{k}"], [f"z{k}"]),
            helper.make_node(activation, [f"z{k}"], [out]),
        ]
        current = out
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", layers[0]["inputs"]])]
    outputs = [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["rows", layers[-1]["outputs"]])]
    return helper.make_graph(nodes, "detector", inputs, outputs, weights)


def main(model_path, out_path):
    with open(model_path) as f:
        layers = json.load(f)["layers"]
    model = helper.make_model(graph(layers), opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


if __name__ == "__main__":
    main(*sys.argv[1:])
