#!/usr/bin/env python
"""Benchmark the default 3-vs-7 model: training time and accuracy.

Trains with `digit_nb.learner.train_3v7`, the function `digit_nb_train --task 3v7` runs, and prints the training
seconds (the `fit_one_cycle` call only; reading the data is timed separately), the device, and the accuracy and
number of errors on the validation split. Optionally it also scores the model on an independent labelled test set
given as IDX files (for example MNIST's `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`; digits other
than 3 and 7 are dropped) or as a folder (`valid/` of fastai's MNIST_SAMPLE holds exactly MNIST's test 3s and 7s).
digit_nb ships no independent test set: the bundled digits all come from MNIST's training set, and their validation
split is what the defaults were chosen on, so the validation accuracy is an optimistic estimate.

    python tools/bench_3v7.py                       # bundled data, default architecture and settings
    python tools/bench_3v7.py --repeat 3 --threads 1
    python tools/bench_3v7.py --test-images t10k-images-idx3-ubyte.gz --test-labels t10k-labels-idx1-ubyte.gz
    python tools/bench_3v7.py --test-folder ~/.fastai/data/mnist_sample/valid   # after `digit_nb_data --source fastai`
    python tools/bench_3v7.py --json bench.json     # also write the results as JSON

CPU timings depend on other programs sharing the cores; `--threads` sets torch's thread count (on a small, busy
CPU, 1 is often fastest for these tiny models).
"""
import argparse, json, os, platform, sys, time

def _errors(n): return f"{n} error{'' if n == 1 else 's'}"

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default='bundled', choices=['auto', 'bundled', 'full'], help='training data (default: bundled)')
    p.add_argument('--arch', default='digit_cnn', help='architecture (default: digit_cnn)')
    p.add_argument('--epochs', type=int, default=None, help="epochs (default: the architecture's)")
    p.add_argument('--lr', type=float, default=None, help="peak learning rate (default: the architecture's)")
    p.add_argument('--seed', type=int, default=42, help='seed (default: 42); with --repeat, seed, seed+1, ...')
    p.add_argument('--repeat', type=int, default=1, help='train this many times with successive seeds')
    p.add_argument('--threads', type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument('--test-images', help='IDX images of an independent test set')
    p.add_argument('--test-labels', help='IDX labels of an independent test set')
    p.add_argument('--test-folder', help='folder with subfolders 3 and 7 of 28x28 images, e.g. the valid/ folder of '
                   "fastai's MNIST_SAMPLE (MNIST's official test 3s and 7s)")
    p.add_argument('--json', help='write the results to this JSON file')
    a = p.parse_args(argv)
    if bool(a.test_images) != bool(a.test_labels): p.error('--test-images and --test-labels go together')
    if a.test_images and a.test_folder: p.error('give --test-images/--test-labels or --test-folder, not both')

    import torch
    if a.threads: torch.set_num_threads(a.threads)
    from digit_nb.learner import train_3v7, evaluate_model, data_3v7
    from digit_nb.data import read_idx_pair, read_image_folder
    test = None
    if a.test_images or a.test_folder:
        ims, lbls = read_idx_pair(a.test_images, a.test_labels) if a.test_images else read_image_folder(a.test_folder)
        keep = (lbls == 3) | (lbls == 7)
        test = ims[keep], lbls[keep]
    t0 = time.perf_counter(); data_3v7(a.data); t_data = time.perf_counter() - t0

    runs = []
    for i in range(a.repeat):
        learn, meta = train_3v7(a.data, arch=a.arch, epochs=a.epochs, lr=a.lr, seed=a.seed + i, progress=False)
        t = meta['training']
        run = dict(seed=t['seed'], train_seconds=t['train_seconds'], valid_accuracy=t['valid_accuracy'],
                   valid_errors=t['valid_errors'], n_valid=t['n_valid'])
        if test is not None:
            res = evaluate_model(learn.model.eval(), meta, *test)
            run.update(test_accuracy=res['accuracy'], test_errors=round((1 - res['accuracy'])*res['n']), n_test=res['n'])
        runs.append(run)
        line = (f"seed {run['seed']}: {run['train_seconds']:.1f} s training, validation accuracy "
                f"{run['valid_accuracy']:.4f} ({_errors(run['valid_errors'])} in {run['n_valid']})")
        if test is not None: line += f", test accuracy {run['test_accuracy']:.4f} ({_errors(run['test_errors'])} in {run['n_test']})"
        print(line, flush=True)

    summary = dict(arch=meta['arch'], arch_kwargs=meta['arch_kwargs'], data=meta['data'], epochs=t['epochs'], lr=t['lr'],
                   n_train=t['n_train'], device=t['device'], torch_threads=torch.get_num_threads(),
                   cpu_count=os.cpu_count(), platform=platform.platform(), data_seconds=round(t_data, 2),
                   load_average=os.getloadavg() if hasattr(os, 'getloadavg') else None, runs=runs)
    secs = [r['train_seconds'] for r in runs]
    print(f"{meta['arch']} {meta['arch_kwargs'] or ''} on {t['n_train']:,} images ({meta['data']}), {t['epochs']} epochs, "
          f"device {t['device']}, {torch.get_num_threads()} torch threads: training {min(secs):.1f}-{max(secs):.1f} s, "
          f"reading the data {t_data:.1f} s; load average now {summary['load_average']}")
    if a.json:
        with open(a.json, 'w') as f: json.dump(summary, f, indent=1)
    return 0

if __name__ == '__main__': sys.exit(main())
