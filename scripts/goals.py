#!/usr/bin/env python3
"""Issue 15's goals for model files trained with seeds 1-10: the median and worst seed; and
issue 13's for the anomaly model, at every seed of its seed study.

usage: scripts/goals.py LABEL MODEL.json [MODEL.json ...]
       scripts/goals.py --anomaly ANOMALY.json

Beside each MODEL.json, MODEL.txt holds what `holdout --every-host` printed (same seed): its line
"held-out host ubuntu (PRESET): N false alarms of M benign, ..." gives the goal of at most 5 false alarms
of 100 on that host's benign events when it is held out of training, and all its lines together the
specificity when each host is left out in turn with a threshold chosen without it (the nested form of
the host-grouped cross-validation's specificity, whose threshold is chosen on the scores it is judged on).

Host-grouped cross-validation within the training rows first (ROC-AUC >= 0.98, specificity
>= 97% at the chosen threshold), then the test rows, the final check only (accuracy >= 99.89% as rounded,
ROC-AUC >= 0.999, at most 1 false alarm). Prints one line per goal, MET or MISSED; exits 0
either way (the figures are reported, not tuned to).
"""
import json
import os
import re
import statistics
import sys

HELD_OUT = re.compile(r"^held-out host (\S+)(?: \(\S+\))?: (\d+) false alarms of (\d+) benign", re.M)


def figures(path):
    model = json.loads(open(path).read())
    cv, test = model["training"]["cross_validation"], model["evaluation"]["summary"]
    c, t = cv["confusion"], test["confusion"]
    rows = t["tn"] + t["fp"] + t["fn"] + t["tp"]
    held_out = {}
    printed = os.path.splitext(path)[0] + ".txt"
    if os.path.exists(printed):
        lines = [(host, int(alarms), int(benign)) for host, alarms, benign in HELD_OUT.findall(open(printed).read())]
        for host, alarms, benign in lines:
            if host == "ubuntu":
                # Per 100 benign events, as the goal is stated.
                held_out["ubuntu held out: false alarms per 100 benign"] = 100 * alarms / benign
        benign = sum(b for _, _, b in lines)
        if len(lines) > 1 and benign:
            held_out["each host held out: specificity"] = 1 - sum(a for _, a, _ in lines) / benign
    return held_out | {
        "cv ROC-AUC": cv["roc_auc"],
        "cv specificity": c["tn"] / (c["tn"] + c["fp"]),
        "test accuracy": (t["tn"] + t["tp"]) / rows,
        "test ROC-AUC": test["roc_auc"],
        "test false alarms": t["fp"],
    }


GOALS = {
    "cv ROC-AUC": (0.98, max),
    "cv specificity": (0.97, max),
    "each host held out: specificity": (0.97, max),
    "test accuracy": (0.99885, max),  # 99.89% as shown, rounded
    "test ROC-AUC": (0.999, max),
    "test false alarms": (1, min),
    "ubuntu held out: false alarms per 100 benign": (5, min),
}


# Issue 13: AUROC on the test rows of scikit-learn's IsolationForest with the paper's features,
# fitted on the benign train+validation rows; the anomaly model must reach it at every seed.
ANOMALY_GOALS = {"sus": 0.9965, "evil": 0.979}


def anomaly(path):
    """One line per label: the worst and median seed of the anomaly model's seed study."""
    study = json.loads(open(path).read()).get("seed_study", [])
    if not study:
        sys.exit(f"goals: {path} has no seed study (train it with --seeds N)")
    for label, goal in ANOMALY_GOALS.items():
        values = [row[label] for row in study]
        below = [row["seed"] for row in study if not row[label] >= goal]
        print(
            f"goals (anomaly): AUROC `{label}` worst {min(values):.4f}, median "
            f"{statistics.median(values):.4f} over seeds {study[0]['seed']}-{study[-1]['seed']} "
            f"(goal >= {goal} at every seed): "
            + ("MET" if not below else f"MISSED at seeds {below}")
        )


def main(label, *paths):
    if label == "--anomaly":
        return anomaly(*paths)
    runs = [figures(p) for p in paths]
    for name, (goal, better) in GOALS.items():
        values = [r[name] for r in runs if name in r]
        if not values:
            print(f"goals ({label}): {name}: not measured")
            continue
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
