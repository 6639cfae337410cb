#!/usr/bin/env python
"""Benchmark the all-digits CNN of `digit_nb.digits`: train it with `train_digits` and report the time and accuracy.

Every number comes from `train_digits`, the function the notebook and `digit_nb_train` use, so the benchmark
measures exactly what users run. It prints one line per run: wall-clock seconds of training, CPU seconds of
the process (all threads), validation accuracy, and, if `--test-images/--test-labels` name an independent
MNIST test set in IDX format (e.g. the official `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`),
the accuracy on that set too.

Examples (run from the repository root):

    DIGIT_NB_OFFLINE=1 python tools/bench_digits.py                      # default recipe, bundled digits
    python tools/bench_digits.py --test-images t10k-images-idx3-ubyte.gz --test-labels t10k-labels-idx1-ubyte.gz
    python tools/bench_digits.py --ablation                              # augmentation / label smoothing / MixUp
    python tools/bench_digits.py --seeds 1,2,3 --epochs 10 --threads 2   # several seeds, 10 epochs
    python tools/bench_digits.py --save digits.pth                       # also save the model (`save_model`)

Times are only comparable on an otherwise idle machine: other processes on the same cores slow training down
(and several PyTorch processes each using all cores slow each other far more than their share). `--threads`
sets `torch.set_num_threads`; the default is PyTorch's (one thread per core).
"""
import json, time
from fastcore.script import call_parse, Param, store_true

ABLATION = {  # name -> train_digits arguments changed from the default recipe
    'recipe (augmentation + label smoothing 0.1)': {},
    'no augmentation': dict(aug=None),
    'no label smoothing': dict(label_smoothing=0.),
    'neither': dict(aug=None, label_smoothing=0.),
    'MixUp 0.4 instead of label smoothing': dict(label_smoothing=0., mixup=0.4),
}

def _run(name, kwargs, test, save):
    import torch
    from digit_nb.digits import train_digits
    from digit_nb.learner import predict_probs, save_model
    learn, meta = train_digits(**kwargs)
    t = meta['training']
    res = dict(run=name, seed=t['seed'], epochs=t['epochs'], seconds=t['train_seconds'], cpu_seconds=t['cpu_seconds'],
               valid_accuracy=t['valid_accuracy'], n_train=t['n_train'], data=meta['data'], params=t['params'])
    if test is not None:
        probs = predict_probs(learn.model, meta, test[0])
        res['test_accuracy'] = round((probs.argmax(1).cpu() == test[1]).float().mean().item(), 4)
        res['n_test'] = len(test[1])
    if save: save_model(learn.model, save, **meta)
    print(json.dumps(res), flush=True)
    return res

@call_parse
def main(data:Param("Training data: auto, bundled or full", str)='bundled',
         arch:Param("Registered architecture", str)='digits_cnn',
         epochs:Param("Epochs (default: train_digits' default)", int)=None,
         lr:Param("Maximum learning rate (default: train_digits' default)", float)=None,
         seeds:Param("Comma-separated seeds, one run each", str)='42',
         threads:Param("torch.set_num_threads (default: PyTorch's)", int)=None,
         ablation:Param("Run the ablation variants instead of the recipe alone", store_true)=False,
         test_images:Param("IDX file of independent test images (N, 28, 28)", str)=None,
         test_labels:Param("IDX file of the matching labels (N,)", str)=None,
         save:Param("Save the (last) model to this file with save_model", str)=None):
    "Train the digits CNN with `train_digits` and print seconds and accuracy as JSON lines"
    import torch
    from digit_nb.data import read_idx_pair
    if threads: torch.set_num_threads(threads)
    if bool(test_images) != bool(test_labels): raise SystemExit("give both --test-images and --test-labels, or neither")
    test = read_idx_pair(test_images, test_labels) if test_images else None
    base = dict(data=data, arch=arch, **{k: v for k, v in dict(epochs=epochs, lr=lr).items() if v is not None})
    variants = ABLATION if ablation else {'recipe': {}}
    results = [_run(name, dict(base, **kw, seed=int(s)), test, save) for name, kw in variants.items() for s in seeds.split(',')]
    print(f"\n{'run':46s} {'seed':>4s} {'wall s':>7s} {'CPU s':>7s} {'valid acc':>9s}" + (f" {'test acc':>8s}" if test else ''))
    for r in results:
        print(f"{r['run']:46s} {r['seed']:4d} {r['seconds']:7.1f} {r['cpu_seconds']:7.1f} {r['valid_accuracy']:9.4f}"
              + (f" {r['test_accuracy']:8.4f}" if test else ''))
    print(f"torch threads: {torch.get_num_threads()}; data: {results[0]['data']} ({results[0]['n_train']:,} training digits)")
