"""Reading the corpus that build_corpus.py writes, and turning it into training documents."""
import gzip
import hashlib
import re
from pathlib import Path

SOURCES = ["bible-kjv", "devil", "jargon", "foldoc", "gcide", "wordnet", "fortunes"]
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
EOT, IM_START, IM_END = 0, 1, 2


def read_documents(corpus_dir, split, source):
    """Documents of one source; reads <source>.txt or its gzip copy <source>.txt.gz."""
    folder = Path(corpus_dir) / split
    plain = folder / f"{source}.txt"
    data = plain.read_bytes() if plain.exists() else gzip.decompress((folder / f"{source}.txt.gz").read_bytes())
    return [d for d in data.decode("utf-8").split("\n\n") if d.strip()]


def render_chat(messages, add_generation_prompt=False):
    """The ChatML text that tokenizer_config.json's chat_template produces."""
    text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return text + ("<|im_start|>assistant\n" if add_generation_prompt else "")


CHAT_TEMPLATE = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
                 " + '<|im_end|>' + '\\n' }}{% endfor %}"
                 "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

WORDNET_DOC = re.compile(r"^(?P<words>.+?) \((?P<pos>noun|verb|adjective|adverb)\): (?P<gloss>.+)$")


def wordnet_as_chat(doc):
    """One in three WordNet synsets becomes a question-and-answer chat, so that the chat template means
    something to the model and a chat reply ends with <|im_end|>; the choice hashes the document, so it is
    the same on every run."""
    if int(hashlib.sha256(doc.encode("utf-8")).hexdigest()[:8], 16) % 3 != 0:
        return None
    m = WORDNET_DOC.match(doc)
    if not m:
        return None
    word = m["words"].split(", ")[0]
    definition = m["gloss"].split('; "')[0].rstrip(";").strip()
    examples = re.findall(r'"([^"]+)"', m["gloss"][len(definition):])
    answer = f"{word[0].upper() + word[1:]} ({m['pos']}): {definition}."
    if examples:
        answer += f' For example: "{examples[0]}".'
    return render_chat([{"role": "user", "content": f'What does "{word}" mean?'},
                        {"role": "assistant", "content": answer}])


def training_texts(corpus_dir, split):
    """(source, text) pairs; each text is later followed by <|endoftext|>. Held-out text stays plain."""
    for source in SOURCES:
        for doc in read_documents(corpus_dir, split, source):
            chat = wordnet_as_chat(doc) if (source == "wordnet" and split == "train") else None
            yield source, chat or doc
