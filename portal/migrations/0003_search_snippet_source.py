"""`search_snippet_source(body, stems, span)`: the text that a search hit's snippet is cut from.

`ts_headline` parses and stems every word of the text it is given, whatever the length of the snippet it
returns: a publication's description of 1,500 characters cost PostgreSQL 1.7 million instructions per hit.
A long text is therefore cut first to `span` characters around the first place where one of the search's
stems occurs (in any case, with or without accents), from a word's start to a word's end. Where no stem occurs
as written (English "country", stem "countri"), the whole text is given, as before. Tags are dropped, so
that a snippet never cuts one in half.
"""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION search_snippet_source(body text, stems text[], span integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    plain text := regexp_replace(body, '<[^>]*>', ' ', 'g');
    stem text;
    pattern text;
    first integer;
    start integer;
    cut text;
BEGIN
    IF length(plain) <= span THEN
        RETURN plain;
    END IF;
    -- each stem as written in a text: any case, its vowels with or without an accent
    FOREACH stem IN ARRAY stems LOOP
        stem := regexp_replace(stem, '([^[:alnum:]])', '\\\1', 'g');
        stem := replace(replace(replace(replace(replace(
            stem, 'a', '[aáàâä]'), 'e', '[eéèêë]'), 'i', '[iíìîï]'), 'o', '[oóòôö]'), 'u', '[uúùûü]');
        pattern := concat_ws('|', pattern, stem);
    END LOOP;
    first := regexp_instr(plain, pattern, 1, 1, 0, 'i');
    IF first IS NULL OR first = 0 THEN
        RETURN plain;
    END IF;
    start := greatest(1, first - span / 4);
    IF start > 1 THEN  -- from the next word's start
        start := start + strpos(substring(plain FROM start FOR first - start), ' ');
    END IF;
    cut := substring(plain FROM start FOR span);
    IF start + span <= length(plain) THEN  -- to the last whole word
        cut := substring(cut FROM 1 FOR span - strpos(reverse(cut), ' '));
    END IF;
    RETURN cut;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_roles")]

    operations = [
        migrations.RunSQL(CREATE, "DROP FUNCTION search_snippet_source(text, text[], integer);"),
    ]
