#!/usr/bin/env python3
"""The first cells of every notebook, for readers on Colab or Kaggle, written from one template.
Each notebook (nbs/index.ipynb and every nbs/[0-9][0-9]_*.ipynb) gets, right after its title cell:
  - a markdown line with "Open in Colab" and "Open in Kaggle" links to that notebook on GitHub;
  - a setup cell: where digit_nb cannot be imported it runs `pip install git+GIT_URL@BRANCH`, and says in one line
    what to do when that fails (no network); where digit_nb is importable it does nothing and prints nothing, so
    notebooks keep valid committed outputs without being re-run (its output is empty).
README.md and nbs/index.ipynb also get the same table of links, one row per notebook.
The URLs come from settings.ini (git_url, branch). Usage:
  python tools/setup_cell.py           # insert or refresh the cells, the index cell and README's section
  python tools/setup_cell.py --check   # exit 1 naming what is missing or out of date (tools/check_notebooks.py runs it)
  python tools/setup_cell.py --test    # run the setup cell offline: installed, installable (a fake pip), no network"""
import argparse, configparser, json, os, subprocess, sys, tempfile, textwrap
from pathlib import Path

root = Path(__file__).resolve().parent.parent
LINKS_ID, SETUP_ID, INDEX_ID = 'c01ab5e7', '5e70ce11', '0be11c0b'   # the cells this tool owns, in every notebook
README_START = '<!-- open-in: start (written by tools/setup_cell.py from settings.ini: do not edit by hand) -->'
README_END = '<!-- open-in: end -->'

def settings():
    "git_url and branch from settings.ini"
    cfg = configparser.ConfigParser(); cfg.read(root/'settings.ini')
    return cfg.get('DEFAULT', 'git_url').rstrip('/'), cfg.get('DEFAULT', 'branch', fallback='main')

def notebooks():
    nbs = root/'nbs'
    return [nbs/'index.ipynb'] + sorted(nbs.glob('[0-9][0-9]_*.ipynb'))

def urls(name:str):
    "(Colab, Kaggle) URLs that open nbs/`name` from GitHub"
    git_url, branch = settings()
    gh = git_url.split('github.com/', 1)[1]
    blob = f'{git_url}/blob/{branch}/nbs/{name}'
    return f'https://colab.research.google.com/github/{gh}/blob/{branch}/nbs/{name}', f'https://kaggle.com/kernels/welcome?src={blob}'

def links_source(name:str)->str:
    colab, kaggle = urls(name)
    return f'[Open in Colab]({colab}) · [Open in Kaggle]({kaggle})'

def setup_source()->str:
    "The setup cell's code: silent where digit_nb imports, otherwise one pip install and one line of output"
    git_url, branch = settings()
    return textwrap.dedent(f'''\
        # On Colab or Kaggle: install digit_nb from GitHub first. Where digit_nb is installed, this cell does nothing.
        import importlib, importlib.util, subprocess, sys
        if importlib.util.find_spec('digit_nb') is None:
            _pip = subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'git+{git_url}@{branch}'], capture_output=True, text=True)
            _why = [l.strip() for l in _pip.stderr.splitlines() if l.strip().startswith(('fatal:', 'ERROR:'))] or ['pip failed']
            importlib.invalidate_caches()
            print('digit_nb installed from GitHub' if _pip.returncode == 0 else f"Could not install digit_nb ({{_why[0]}}): on Kaggle "
                  f"switch Internet on in the notebook's settings; elsewhere run `pip install git+{git_url}` with a network")''')

def index_section()->str:
    "The markdown of the links table, the same in nbs/index.ipynb and README.md"
    rows = [f'| `{nb.name}` | [Colab]({urls(nb.name)[0]}) | [Kaggle]({urls(nb.name)[1]}) |' for nb in notebooks()[1:]]
    return '\n'.join(['### On Colab or Kaggle', '',
        "Each notebook opens in Colab or Kaggle from GitHub; its first code cell installs digit_nb there (on Kaggle,",
        "switch the notebook's Internet on first), and does nothing on a machine where digit_nb is installed.", '',
        '| notebook | Colab | Kaggle |', '|---|---|---|', *rows])

def md_cell(cid, src): return {'cell_type': 'markdown', 'id': cid, 'metadata': {}, 'source': src.splitlines(True)}
def code_cell(cid, src): return {'cell_type': 'code', 'execution_count': None, 'id': cid, 'metadata': {}, 'outputs': [], 'source': src.splitlines(True)}

def expected_cells(nb:Path):
    return [md_cell(LINKS_ID, links_source(nb.name)), code_cell(SETUP_ID, setup_source())]

def text(c): return ''.join(c['source'])

def refresh_nb(nb:Path)->bool:
    "Put the links and setup cells right after the title cell (and the index's table after its notebooks table)"
    d = json.loads(nb.read_text())
    cells = [c for c in d['cells'] if c.get('id') not in (LINKS_ID, SETUP_ID)]
    cells[1:1] = expected_cells(nb)
    if nb.name == 'index.ipynb':
        old = [i for i, c in enumerate(cells) if c.get('id') == INDEX_ID]
        new = md_cell(INDEX_ID, index_section())
        if old: cells[old[0]] = new
        else:
            at = next(i for i, c in enumerate(cells) if c['cell_type'] == 'markdown' and text(c).startswith('## Environment variables'))
            cells.insert(at, new)
    if cells == d['cells']: return False
    d['cells'] = cells
    nb.write_text(json.dumps(d, indent=1, ensure_ascii=False) + '\n')
    return True

def readme_text(old:str)->str:
    block = f'{README_START}\n{index_section()}\n{README_END}'
    if README_START in old:
        a, rest = old.split(README_START, 1)
        return a + block + rest.split(README_END, 1)[1]
    at = old.index('## Environment variables')
    return old[:at] + block + '\n\n' + old[at:]

def readme_links_line(old:str)->str:
    "README's copy of index.ipynb's links line, right after its subtitle"
    line = links_source('index.ipynb')
    lines = old.split('\n')
    i = next(i for i, l in enumerate(lines) if l.startswith('> '))
    if lines[i+2].startswith('[Open in Colab]'): lines[i+2] = line
    else: lines[i+1:i+1] = ['', line]
    return '\n'.join(lines)

def problems():
    "What is missing or out of date, one line each"
    out = []
    for nb in notebooks():
        cells = json.loads(nb.read_text())['cells']
        want = expected_cells(nb)
        got = [{k: c.get(k) for k in w} for c, w in zip(cells[1:3], want)]
        if got != want: out.append(f'{nb.relative_to(root)}: its links and setup cells (after the title) are missing or out of date')
        if nb.name == 'index.ipynb' and not any(c.get('id') == INDEX_ID and text(c) == index_section() for c in cells):
            out.append(f'{nb.relative_to(root)}: its table of Colab and Kaggle links is missing or out of date')
    readme = (root/'README.md').read_text()
    if readme_links_line(readme_text(readme)) != readme: out.append("README.md: its Colab and Kaggle links are missing or out of date")
    return [p + ': run `python tools/setup_cell.py`' for p in out]

def refresh():
    for nb in notebooks():
        if refresh_nb(nb): print(f'setup cell: updated {nb.relative_to(root)}')
    readme = (root/'README.md').read_text()
    new = readme_links_line(readme_text(readme))
    if new != readme: (root/'README.md').write_text(new); print('setup cell: updated README.md')

# ---------------------------------------------------------------- tests: the cell's three cases, offline
FAKE_PIP = '''import sys, pathlib, json
tmp = pathlib.Path(__file__).resolve().parents[2]
log = tmp/'pip_calls.json'
calls = json.loads(log.read_text()) if log.exists() else []
log.write_text(json.dumps(calls + [sys.argv[1:]]))
pkg = tmp/'installed'/'digit_nb'
pkg.mkdir(parents=True); (pkg/'__init__.py').write_text("FAKE = True\\n")
'''
FAKE_GIT = '''#!/bin/sh
if [ "$1" = "version" ] || [ "$1" = "--version" ]; then echo "git version 2.39.2"; exit 0; fi
echo "fatal: unable to access 'https://github.com/': Could not resolve host: github.com" >&2; exit 128
'''

def run_cell(tmp:Path, pythonpath, extra='', path_prefix=None):
    "Run the setup cell (and `extra`) in a fresh Python that cannot see digit_nb unless `pythonpath` shows it"
    env = {k: v for k, v in os.environ.items() if not k.startswith(('PYTHON', 'PIP_'))}
    env.update(PYTHONPATH=os.pathsep.join(map(str, pythonpath)), PIP_DISABLE_PIP_VERSION_CHECK='1', PIP_NO_INPUT='1',
               PIP_NO_CACHE_DIR='1', PIP_CONFIG_FILE=os.devnull)
    if path_prefix: env['PATH'] = f'{path_prefix}{os.pathsep}{env.get("PATH", "")}'
    # -S: no site-packages, so the digit_nb installed in this environment is invisible; pip's own process has them
    return subprocess.run([sys.executable, '-S', '-c', setup_source() + '\n' + extra], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=120)

def test():
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        (tmp/'fake'/'pip').mkdir(parents=True); (tmp/'fake'/'pip'/'__main__.py').write_text(FAKE_PIP)
        (tmp/'fake'/'pip'/'__init__.py').write_text('')
        (tmp/'installed').mkdir()
        # 1. digit_nb importable: nothing happens, nothing is printed, pip is never called
        r = run_cell(tmp, [root, tmp/'fake'], "import digit_nb; print(digit_nb.__file__)")
        assert r.returncode == 0 and r.stderr == '' and r.stdout.strip() == str(root/'digit_nb'/'__init__.py'), r
        assert not (tmp/'pip_calls.json').exists(), 'pip ran although digit_nb was importable'
        print('setup cell, installed: prints nothing, does not call pip')
        # 2. not importable, pip works (a fake pip that "installs" a package): one pip call, one line, then digit_nb imports
        r = run_cell(tmp, [tmp/'fake', tmp/'installed'], "import digit_nb; assert digit_nb.FAKE")
        calls = json.loads((tmp/'pip_calls.json').read_text())
        git_url, branch = settings()
        assert calls == [['install', '-q', f'git+{git_url}@{branch}']], calls
        assert r.returncode == 0 and r.stderr == '' and r.stdout == 'digit_nb installed from GitHub\n', r
        print(f'setup cell, not installed: ran `pip {" ".join(calls[0])}`, printed {r.stdout.strip()!r}, then imported it')
        # 3. not importable, no network: the real pip, with a git that cannot reach GitHub; one line, no traceback
        (tmp/'bin').mkdir(); (tmp/'bin'/'git').write_text(FAKE_GIT); (tmp/'bin'/'git').chmod(0o755)
        r = run_cell(tmp, [], "import importlib.util; assert importlib.util.find_spec('digit_nb') is None", path_prefix=tmp/'bin')
        assert r.returncode == 0 and r.stderr == '', r
        assert r.stdout.count('\n') == 1 and r.stdout.startswith('Could not install digit_nb (fatal: unable to access'), r
        assert 'Traceback' not in r.stdout and "switch Internet on" in r.stdout, r
        print(f'setup cell, no network: printed one line: {r.stdout.strip()}')

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_mutually_exclusive_group()
    g.add_argument('--check', action='store_true', help='exit 1 if a notebook or README.md is out of date')
    g.add_argument('--test', action='store_true', help="test the setup cell's three cases offline")
    a = p.parse_args()
    if a.test: test(); return
    if a.check:
        ps = problems(); print('\n'.join(ps) if ps else 'setup cells and Colab/Kaggle links up to date'); sys.exit(1 if ps else 0)
    refresh()

if __name__ == '__main__': main()
