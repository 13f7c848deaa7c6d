"""Relations, attributes and entities: their controllers, built together by the app."""

from __future__ import annotations

from dataclasses import dataclass

from spanlab.ui.controllers.attributes import AttributeController
from spanlab.ui.controllers.entities import EntityController
from spanlab.ui.controllers.relations import RelationController
from spanlab.ui.main_window import MainWindow
from spanlab.ui.open_document import OpenDocument
from spanlab.ui.session import ProjectSession
from spanlab.ui.settings import AppSettings


@dataclass
class AnnotationTools:
    """The controllers behind the Relations, Attributes and Entities docks."""

    relations: RelationController
    attributes: AttributeController
    entities: EntityController


def build_annotation_tools(
    *,
    session: ProjectSession,
    document: OpenDocument,
    window: MainWindow,
    settings: AppSettings,
) -> AnnotationTools:
    """Wire the three docks of ``window`` to the session and the article view."""
    relations = RelationController(
        session=session,
        document=document,
        model=window.relations_panel.model,
        view=window.document_view,
        panel=window.relations_panel,
        status=window.status,
        settings=settings,
        window=window,
    )
    attributes = AttributeController(
        session=session,
        document=document,
        view=window.document_view,
        relations=window.relations_panel.model,
        relations_panel=window.relations_panel,
        panel=window.attribute_panel,
        status=window.status,
    )
    entities = EntityController(
        session=session,
        document=document,
        model=window.entity_panel.model,
        view=window.document_view,
        panel=window.entity_panel,
        status=window.status,
        window=window,
    )
    return AnnotationTools(relations=relations, attributes=attributes, entities=entities)
