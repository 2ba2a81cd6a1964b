"""Portraits: image providers (OpenAI, Stability, a local SD WebUI, offline), safe storage, and the service.

An image provider turns an `ImageRequest` into image bytes and nothing else; `storage` decides where
bytes may land (never outside the chosen folder, never half-written), and `service.PortraitService`
ties the two together and records each call in the generation log. Every module here imports its
heavy dependencies (Pillow, openai, requests) inside functions, so `charforge --help` never pays.
"""
