"""Inter-annotator agreement metrics: pure Python, no Qt, no storage.

Inputs are domain records (:class:`~spanlab.core.model.Span`,
:class:`~spanlab.core.model.Relation`) plus per-document data the caller provides (token
boundaries, document lengths).  Results are frozen dataclasses; an undefined value is
``None`` with a ``reason``, never a misleading 1.0 or 0.0.  Definitions follow
``agreement.md`` (the shared reference on agreement).
"""

from spanlab.core.agreement._common import CompletedDocuments
from spanlab.core.agreement.attributes import (
    AttributeAgreement,
    AttributeReport,
    attribute_agreement,
)
from spanlab.core.agreement.coefficients import (
    COHEN_KAPPA,
    FLEISS_KAPPA,
    KRIPPENDORFF_ALPHA,
    AgreementCoefficient,
    Table,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
)
from spanlab.core.agreement.confusion import (
    NO_ANNOTATION,
    ConfusionMatrix,
    SpanPair,
    span_confusion_matrix,
)
from spanlab.core.agreement.matching import MatchMode, SpanAlignment, SpanMatch, align_spans
from spanlab.core.agreement.relations import (
    PairRelationF1,
    RelationF1Report,
    RelationScheme,
    relation_f1,
)
from spanlab.core.agreement.scores import F1Score, PairMean
from spanlab.core.agreement.span_f1 import (
    LABELLED_SCHEMES,
    DocumentSpanF1,
    F1Scheme,
    PairSpanF1,
    SpanF1Report,
    pair_span_f1,
    span_f1,
)
from spanlab.core.agreement.token_level import (
    OUTSIDE,
    UNIT_ALL_TOKENS,
    UNIT_LABELLED_TOKENS,
    Tagging,
    TokenAgreement,
    Tokens,
    TokenTable,
    token_cohen_kappa,
    token_confusion_matrix,
    token_fleiss_kappa,
    token_krippendorff_alpha,
    token_label_table,
)
from spanlab.core.agreement.unitizing import (
    ContinuumUnit,
    UnitizingAlpha,
    UnitizingCategory,
    unitizing_alpha,
    unitizing_alpha_continuum,
)

__all__ = [
    "COHEN_KAPPA",
    "FLEISS_KAPPA",
    "KRIPPENDORFF_ALPHA",
    "LABELLED_SCHEMES",
    "NO_ANNOTATION",
    "OUTSIDE",
    "UNIT_ALL_TOKENS",
    "UNIT_LABELLED_TOKENS",
    "AgreementCoefficient",
    "AttributeAgreement",
    "AttributeReport",
    "CompletedDocuments",
    "ConfusionMatrix",
    "ContinuumUnit",
    "DocumentSpanF1",
    "F1Scheme",
    "F1Score",
    "MatchMode",
    "PairMean",
    "PairRelationF1",
    "PairSpanF1",
    "RelationF1Report",
    "RelationScheme",
    "SpanAlignment",
    "SpanF1Report",
    "SpanMatch",
    "SpanPair",
    "Table",
    "Tagging",
    "TokenAgreement",
    "TokenTable",
    "Tokens",
    "UnitizingAlpha",
    "UnitizingCategory",
    "align_spans",
    "attribute_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "pair_span_f1",
    "relation_f1",
    "span_confusion_matrix",
    "span_f1",
    "token_cohen_kappa",
    "token_confusion_matrix",
    "token_fleiss_kappa",
    "token_krippendorff_alpha",
    "token_label_table",
    "unitizing_alpha",
    "unitizing_alpha_continuum",
]
