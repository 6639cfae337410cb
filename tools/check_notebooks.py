#!/usr/bin/env python3
"""Checks that keep the reader's view honest; exit 1 with a message on the first problem found.
- every numbered notebook is committed executed (its code cells have outputs);
- README.md says what nbs/index.ipynb says: the same command blocks and the same tables (README is kept by hand,
  because Quarto, which `nbdev_readme` needs, cannot be installed everywhere);
- every notebook starts with the current Colab/Kaggle links and setup cell, and README.md and nbs/index.ipynb
  with the current table of links (tools/setup_cell.py writes them from settings.ini)."""
import json, re, sys
from pathlib import Path
root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
import setup_cell
problems = setup_cell.problems()
for nb in sorted((root/'nbs').glob('[0-9][0-9]_*.ipynb')):
    code = [c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
    if code and not any(c.get('outputs') for c in code):
        problems.append(f"{nb.relative_to(root)} has no outputs: run `python tools/run_notebooks.py --refresh {nb.relative_to(root)}` and commit it")
index = '\n'.join(''.join(c['source']) for c in json.loads((root/'nbs'/'index.ipynb').read_text())['cells'] if c['cell_type'] == 'markdown')
readme = (root/'README.md').read_text()
def blocks(md): return re.findall(r'```sh\n(.*?)```', md, flags=re.S)
def tables(md): return ['\n'.join(t) for t in re.findall(r'((?:^\|.*\|\n)+)', md + '\n', flags=re.M)]
for what, f in (('command blocks', blocks), ('tables', tables)):
    if f(index) != f(readme): problems.append(f"README.md's {what} differ from nbs/index.ipynb's: update README.md to match the notebook")
print('\n'.join(problems) if problems else 'notebooks committed with outputs and current setup cells; README.md matches nbs/index.ipynb')
sys.exit(1 if problems else 0)
