"""What "the same text" means: NFKC, case, whitespace, LaTeX escapes and simple math."""

import pytest

from paperls.core.normalize import exact_key, normalize, tokens


@pytest.mark.parametrize("a, b", [
    ("Accuracy of 50\\%", "accuracy of 50%"),
    ("image$\\leftrightarrow$text models", "image↔text models"),
    ("$D_{\\mathrm{KL}}$ divergence", "D_KL divergence"),
    ("Two  spaces\tand a tab", "two spaces and a tab"),
    ("ﬁne-tuning (ligature)", "fine-tuning (ligature)"),
    ("STRASSE", "straße"),
    ("$\\alpha$-stable \\textbf{bold}", "α-stable bold"),
    # LaTeX accents, as arXiv writes names and non-English text
    (r"Fr\'echet Inception Distance", "Fréchet inception distance"),
    (r"Schr\"odinger bridges and B\'{e}zier curves", "Schrödinger bridges and Bézier curves"),
    (r"Do\~nana, {\'e}t{\'e}, \c{C}a, \v{S}koda, Deni\'c", "Doñana, été, Ça, Škoda, Denić"),
    (r"na\"{\i}ve", "naïve"),
    (r"the model\'s ability, GPT-4o\'s", "the model's ability, GPT-4o's"),
    # Spacing of a text that is not ASCII, as databases reformat it: doubled, leading and
    # trailing spaces, a tab, a line or paragraph separator, an ogham or no-break space
    ("Résumé  des  résultats ", "résumé des résultats"),
    (" Étude\tde cas", "étude de cas"),
    ("Données\u2028annotées\u2029et\u1680corpus", "données annotées et corpus"),
    ("Modèle\u00a0neuronal\x1fet\x85règles", "modèle neuronal et règles"),
])
def test_same_after_normalisation(a, b):
    assert normalize(a) == normalize(b)
    assert exact_key(normalize(a)) == exact_key(normalize(b))


@pytest.mark.parametrize("a, b", [
    ("GPT-4o is fast", "GPT-4 is fast"),
    ("50% of cases", "5.0% of cases"),
])
def test_different_stays_different(a, b):
    assert normalize(a) != normalize(b)


def test_tokens_drop_punctuation():
    assert tokens(normalize("Hello, World: GPT-4o!")) == ["hello", "world", "gpt", "4o"]
