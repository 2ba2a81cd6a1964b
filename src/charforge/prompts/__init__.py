"""Prompt templates: YAML + Jinja2, layered user overrides, validated before use."""

from charforge.prompts.service import PromptService, Rendered, TemplateError

__all__ = ["PromptService", "Rendered", "TemplateError"]
