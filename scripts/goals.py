#!/usr/bin/env python3
"""Issue 15's goals for model files trained with seeds 1-10: the median and worst seed.

usage: scripts/goals.py LABEL MODEL.json [MODEL.json ...]

Host-grouped cross-validation within the training rows first (ROC-AUC >= 0.98, specificity
>= 97% at the chosen threshold), then the test rows, the final check only (accuracy >= 99.89% as rounded,
ROC-AUC >= 0.999, at most 1 false alarm). Prints one line per goal, MET or MISSED; exits 0
either way (the figures are reported, not tuned to).
"""
import json
import statistics
import sys


def figures(path):
    model = json.loads(open(path).read())
    cv, test = model["training"]["cross_validation"], model["evaluation"]["summary"]
    c, t = cv["confusion"], test["confusion"]
    rows = t["tn"] + t["fp"] + t["fn"] + t["tp"]
    return {
        "cv ROC-AUC": cv["roc_auc"],
        "cv specificity": c["tn"] / (c["tn"] + c["fp"]),
        "test accuracy": (t["tn"] + t["tp"]) / rows,
        "test ROC-AUC": test["roc_auc"],
        "test false alarms": t["fp"],
    }


GOALS = {
    "cv ROC-AUC": (0.98, max),
    "cv specificity": (0.97, max),
    "test accuracy": (0.99885, max),  # 99.89% as shown, rounded
    "test ROC-AUC": (0.999, max),
    "test false alarms": (1, min),
}


def main(label, *paths):
    runs = [figures(p) for p in paths]
    for name, (goal, better) in GOALS.items():
        values = [r[name] for r in runs]
        worst = min(values) if better is max else max(values)
        median = statistics.median(values)
        met = median >= goal if better is max else median <= goal
        sign = ">=" if better is max else "<="
        print(
            f"goals ({label}): {name} median {median:.4f}, worst {worst:.4f} over {len(runs)} seeds"
            f" (goal {sign} {goal}): {'MET' if met else 'MISSED'}"
        )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
