/* The sketch keys of normalised texts (core/sketch.py), in C.

   keys(texts, out) writes, for each str of the list, the KEYS sketch keys that
   sketch.band_keys + sketch.signatures compute with NumPy (index.text_keys): the
   same numbers, bit for bit (tests/unit/test_native_sketch.py holds the two to
   each other). NumPy needs a dozen passes over the batch's bytes, each with a
   uint64 temporary; here one pass a text finds the words and their hashes, and
   every other key is built from those. The interpreter lock is released while it
   runs, so threads sketch in parallel.

   The constants and every rule are sketch.py's; its comments say why. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SHINGLE 3
#define BINS 96
#define ROWS 3
#define BANDS (BINS / ROWS)
#define MIN_WORDS 12
#define EDGE_WORDS 24
#define NOPEN 8
#define SHORT_WORDS 30
#define KEYS (BANDS + 2 + NOPEN + 1)
#define PROBES 48

static const int OPENINGS[NOPEN] = {6, 8, 10, 12, 15, 18, 21, 25};

#define P 0x100000001B3ULL
#define M1 0xBF58476D1CE4E5B9ULL
#define M2 0x94D049BB133111EBULL
#define HIGH (1ULL << 63)
#define EMPTY 0xFFFFFFFFFFFFFFFFULL
#define VALMASK ((1ULL << 57) - 1)
#define SPACE 32ULL

static unsigned char PROBE[BINS][PROBES];
/* 0: not part of a word; 1: part of one; 2: may start punctuation (UTF-8 lead bytes
   0xC2, 0xC3, 0xE2): see punctuation(). */
static unsigned char CLASS[256];

static inline uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= M1;
    x ^= x >> 27;
    x *= M2;
    return x ^ (x >> 31);
}

/* Words of a text: each one's polynomial hash and P**length. */
typedef struct {
    uint64_t *hash;
    uint64_t *power;
    Py_ssize_t cap;
} Words;

static int words_reserve(Words *w, Py_ssize_t n) {
    if (n <= w->cap)
        return 0;
    Py_ssize_t cap = n + n / 2 + 64;
    uint64_t *h = realloc(w->hash, (size_t)cap * sizeof(uint64_t));
    if (!h)
        return -1;
    w->hash = h;
    uint64_t *p = realloc(w->power, (size_t)cap * sizeof(uint64_t));
    if (!p)
        return -1;
    w->power = p;
    w->cap = cap;
    return 0;
}

/* Bytes that are not part of a word, at t[i] (a lead byte >= 0xC2): the UTF-8 of
   U+00A0-00BF, U+00D7, U+00F7 (2 bytes), U+2000-206F and U+2190-22FF (3 bytes);
   0 where t[i] starts a character of a word. */
static inline Py_ssize_t punctuation(const unsigned char *t, Py_ssize_t i, Py_ssize_t len) {
    unsigned char b0 = t[i], b1;
    /* 0xC2-0xFF only: a lead byte */
    if (i + 1 >= len)
        return 0;
    b1 = t[i + 1];
    if ((b0 == 0xC2 && b1 >= 0xA0) || (b0 == 0xC3 && (b1 == 0x97 || b1 == 0xB7)))
        return 2;
    if (b0 == 0xE2 && i + 2 < len
        && ((b1 >= 0x80 && b1 <= 0x81) || (b1 >= 0x86 && b1 <= 0x8B)))
        return 3;
    return 0;
}

/* Words: maximal runs of word bytes; returns their number, or -1 out of memory. Each word
   is hashed in a tight loop of its own; a byte that may start punctuation (CLASS 2) is looked
   at closely. */
static Py_ssize_t find_words(const unsigned char *t, Py_ssize_t len, Words *w) {
    Py_ssize_t n = 0, i = 0;
    while (i < len) {
        unsigned char c = CLASS[t[i]];
        Py_ssize_t skip;
        if (c == 0 || (c == 2 && (skip = punctuation(t, i, len)) > 0)) {
            i += c == 0 ? 1 : skip;
            continue;
        }
        if (n >= w->cap && words_reserve(w, n + 1 + (len - i) / 2) < 0)
            return -1;
        uint64_t h = t[i], pw = P;
        for (i++; i < len; i++) {
            c = CLASS[t[i]];
            if (c == 0 || (c == 2 && punctuation(t, i, len) > 0))
                break;
            h = h * P + t[i];
            pw *= P;
        }
        w->hash[n] = h;
        w->power[n] = pw;
        n++;
    }
    return n;
}

/* Hash of words [a, b) joined by single spaces: what sketch._span_hash gives for them. */
static inline uint64_t span(const Words *w, Py_ssize_t a, Py_ssize_t b) {
    uint64_t h = w->hash[a];
    for (Py_ssize_t j = a + 1; j < b; j++)
        h = (h * P + SPACE) * w->power[j] + w->hash[j];
    return h;
}

static void text_keys(const Words *w, Py_ssize_t nwords, uint64_t *row) {
    uint64_t sig[BINS];
    unsigned char empty[BINS];
    uint64_t whole = 0;
    for (int c = 0; c < BINS; c++)
        sig[c] = EMPTY;
    if (nwords > 0) {
        Py_ssize_t nsh = nwords >= SHINGLE ? nwords - SHINGLE + 1 : 1;
        Py_ssize_t width = nwords >= SHINGLE ? SHINGLE : nwords;
        for (Py_ssize_t s = 0; s < nsh; s++) {
            uint64_t h = mix(span(w, s, s + width));
            uint64_t bin = ((h >> 32) * BINS) >> 32;
            uint64_t v = h & VALMASK;
            if (v < sig[bin])
                sig[bin] = v;
        }
        whole = span(w, 0, nwords);
    }
    /* densify: each empty bin from the first filled bin of its probe sequence */
    for (int c = 0; c < BINS; c++)
        empty[c] = sig[c] == EMPTY;
    for (int c = 0; c < BINS; c++) {
        if (!empty[c])
            continue;
        for (int k = 0; k < PROBES; k++) {
            int p = PROBE[c][k];
            if (!empty[p]) {
                sig[c] = mix(sig[p] + (uint64_t)c * M2) & VALMASK;
                break;
            }
        }
    }
    for (int c = 0; c < BINS; c++)
        if (sig[c] == EMPTY)
            sig[c] = mix(whole + (uint64_t)c) | HIGH;
    /* band keys */
    for (int b = 0; b < BANDS; b++) {
        uint64_t acc = 0, key;
        for (int r = 0; r < ROWS; r++)
            acc = mix(acc ^ (sig[b * ROWS + r] + (uint64_t)(r + 1)));
        key = mix(acc + (uint64_t)(b + 1) * 0x9E3779B97F4A7C15ULL);
        if (key == 0)
            key = 1;
        row[b] = nwords < MIN_WORDS ? 0 : key;
    }
    uint64_t *edges = row + BANDS, *open = edges + 2;
    edges[0] = edges[1] = 0;
    if (nwords > EDGE_WORDS) {
        edges[0] = mix(span(w, 0, EDGE_WORDS) + 1) | 1;
        edges[1] = mix(span(w, nwords - EDGE_WORDS, nwords) + 2) | 1;
    }
    /* openings, one growing hash over the first words */
    uint64_t h = 0;
    Py_ssize_t done = 0;
    for (int col = 0; col < NOPEN; col++) {
        Py_ssize_t size = OPENINGS[col];
        if (nwords < size) {
            open[col] = 0;
            continue;
        }
        for (; done < size; done++)
            h = done == 0 ? w->hash[0] : (h * P + SPACE) * w->power[done] + w->hash[done];
        open[col] = mix(h + 0x100 + (uint64_t)size) | 1;
    }
    uint64_t lookup = 0;
    if (nwords >= OPENINGS[0] && nwords < SHORT_WORDS) {
        int col = 0;
        for (int c = 0; c < NOPEN; c++)
            if (OPENINGS[c] <= nwords - 1)
                col = c;
        lookup = open[col];
    }
    open[NOPEN] = lookup;
}

static PyObject *keys(PyObject *self, PyObject *args) {
    PyObject *texts, *seq = NULL, *held = NULL;
    Py_buffer out;
    const unsigned char **data = NULL;
    Py_ssize_t *lens = NULL;
    Py_ssize_t n, i;
    int failed = 0;
    Words w = {NULL, NULL, 0};

    if (!PyArg_ParseTuple(args, "Ow*", &texts, &out))
        return NULL;
    seq = PySequence_Fast(texts, "texts must be a sequence of str");
    if (!seq)
        goto error;
    n = PySequence_Fast_GET_SIZE(seq);
    if (out.len != n * KEYS * (Py_ssize_t)sizeof(uint64_t)) {
        PyErr_Format(PyExc_ValueError, "out holds %zd bytes, not %zd texts of %d keys",
                     out.len, n, KEYS);
        goto error;
    }
    held = PyList_New(0); /* UTF-8 copies of the non-ASCII texts, alive until the end */
    data = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(*data));
    lens = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(*lens));
    if (!held || !data || !lens) {
        PyErr_NoMemory();
        goto error;
    }
    for (i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "texts must be a sequence of str");
            goto error;
        }
        if (PyUnicode_IS_ASCII(s)) {
            data[i] = PyUnicode_1BYTE_DATA(s);
            lens[i] = PyUnicode_GET_LENGTH(s);
        } else {
            PyObject *b = PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass");
            if (!b || PyList_Append(held, b) < 0) {
                Py_XDECREF(b);
                goto error;
            }
            Py_DECREF(b);
            data[i] = (const unsigned char *)PyBytes_AS_STRING(b);
            lens[i] = PyBytes_GET_SIZE(b);
        }
    }
    /* The list `seq` (a new reference, or the caller's list or tuple) and `held` keep
       every text alive; nothing below touches a Python object. */
    Py_BEGIN_ALLOW_THREADS
    uint64_t *rows = (uint64_t *)out.buf;
    for (i = 0; i < n; i++) {
        Py_ssize_t nwords = find_words(data[i], lens[i], &w);
        if (nwords < 0) {
            failed = 1;
            break;
        }
        text_keys(&w, nwords, rows + i * KEYS);
    }
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
        goto error;
    }
    free(w.hash);
    free(w.power);
    PyMem_Free(data);
    PyMem_Free(lens);
    Py_DECREF(held);
    Py_DECREF(seq);
    PyBuffer_Release(&out);
    Py_RETURN_NONE;

error:
    free(w.hash);
    free(w.power);
    PyMem_Free(data);
    PyMem_Free(lens);
    Py_XDECREF(held);
    Py_XDECREF(seq);
    PyBuffer_Release(&out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"keys", keys, METH_VARARGS,
     "keys(texts, out): the sketch keys of normalised texts (list of str) into out, a "
     "writable buffer of len(texts) * KEYS uint64 (index.text_keys's rows)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_sketch", "The sketch keys of core/sketch.py, in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__sketch(void) {
    for (int c = 0; c < 256; c++)
        CLASS[c] = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                   || (c >= '0' && c <= '9');
    CLASS[0xC2] = CLASS[0xC3] = CLASS[0xE2] = 2;
    /* sketch._PROBE, in the same int64 arithmetic */
    for (int64_t j = 0; j < BINS; j++)
        for (int64_t k = 0; k < PROBES; k++)
            PROBE[j][k] = (unsigned char)(((j * 0x9E3779B1LL + k * 0x85EBCA77LL + 0x27D4EB2FLL)
                                           % 0xFFFFFFFBLL) % BINS);
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddIntConstant(m, "KEYS", KEYS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
