"""Realistic news pages built around an article's text, for the HTML and WARC tests.

The chrome is what real news sites wrap around an article: navigation, a cookie banner,
share buttons, a newsletter box, related links, a script with JSON in it, a footer; the
title is in <h1> and the byline, date and canonical URL are in the places news sites put
them. Quotes in the text are written as `&quot;` entities, as some CMSs do.
"""

from __future__ import annotations

import html


def _paragraphs(text: str) -> tuple[str, list[str]]:
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return blocks[0], blocks[1:]


def news_page(text: str, url: str, date: str = "2023-06-18", head_extra: str = "", html_attrs: str = 'lang="en"') -> str:
    title, body = _paragraphs(text)
    paragraphs = "\n".join(f"<p>{html.escape(p, quote=True)}</p>" for p in body)
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("World", "Politics", "Business", "Tech", "Sports", "Opinion"))
    related = "".join(f'<li><a href="/news/{i}">Related story number {i} about something else entirely</a></li>' for i in range(1, 6))
    return f"""<!DOCTYPE html>
<html {html_attrs}>
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | The Daily Example</title>
<link rel="canonical" href="{url}">
<meta property="og:url" content="{url}">
<meta property="og:title" content="{html.escape(title, quote=True)}">
<meta property="article:published_time" content="{date}T09:30:00Z">
{head_extra}
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "world", "paywall": false, "quote": "\\"x\\"."}});</script>
<style>body {{ font-family: serif; }} .share a {{ margin: 0 4px; }}</style>
</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button> <button>Manage &quot;preferences&quot;</button></div>
<header><a class="logo" href="/">The Daily Example</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<main>
<article>
<h1>{html.escape(title)}</h1>
<div class="byline">By Staff Reporter &middot; <time datetime="{date}T09:30:00Z">{date}</time></div>
<div class="share"><a href="https://twitter.com/share">Share on X</a><a href="https://facebook.com/sharer">Share on Facebook</a><a href="mailto:?subject=Story">Email</a></div>
{paragraphs}
<div class="newsletter"><h3>Get the morning briefing</h3><p>Sign up for our newsletter &quot;The Brief&quot;.</p></div>
</article>
<aside><h2>Related</h2><ul>{related}</ul></aside>
</main>
<footer><p>&copy; 2023 The Daily Example. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script src="/static/app.js"></script>
</body>
</html>
"""
