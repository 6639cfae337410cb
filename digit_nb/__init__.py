__version__ = "0.0.1"

import warnings
# fastai's import triggers torch's notice that `torch.jit.script` is deprecated; it concerns fastai, not our users
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
