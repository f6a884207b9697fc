"""Sentence classification of news reports on the war against the Islamic State.

>>> from training import predict, load_model
>>> predict([])
[]
"""

from training.predict import Model, Prediction, load_model, predict

__all__ = ["Model", "Prediction", "load_model", "predict"]
__version__ = "0.1.0"
