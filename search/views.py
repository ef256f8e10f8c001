"""The search page: what the header's box finds, grouped by kind."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.translated import active_language

from .forms import SearchForm
from .selectors import search_everything


@require_GET
def results(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context: dict = {"form": form, "results": None}
    if form.is_valid():
        query = form.cleaned_data["q"]
        only = form.cleaned_data["kind"] or None
        found = search_everything(
            request.user,
            query,
            language=active_language(),
            only=only,
            page=form.cleaned_data["page"] or 1,
        )
        context.update(
            results=found,
            query=query,
            only=only,
            total=sum(result.count for result in found),
            # Links to one kind's pages keep the words; the page number is added by the link.
            query_string=urlencode({"q": query}),
        )
    return render(request, "search/results.html", context)
