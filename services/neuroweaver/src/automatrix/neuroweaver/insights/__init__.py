"""neuroweaver's insights: anomaly watch, capacity forecasts, performance predictor, optimize.

The lead wiring calls ``install_insights(service, rpc, settings, store=...)`` before the
service starts; the training runner calls ``fit_predictor`` and ``Insights.use_predictor``.
"""

from automatrix.neuroweaver.insights.predictor import TrainedPredictor, fit_predictor
from automatrix.neuroweaver.insights.runtime import Insights, install_insights
from automatrix.neuroweaver.insights.settings import InsightsSettings

__all__ = ["Insights", "InsightsSettings", "TrainedPredictor", "fit_predictor", "install_insights"]
