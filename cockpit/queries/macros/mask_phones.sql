-- mask_phones(text): the one home of phone masking (可用不可见), for a phone column or any text a
-- person wrote. A phone is a run of at least 7 digits (ASCII or full-width) with up to 3
-- separators between two of its digits: spaces (also 　), tabs, line breaks, dots, hyphens (also
-- －) and brackets (also （）), as in "021-6234 5678", "(021)62345678", "+86 138 1234 5678" or
-- a number inside a sentence. Its first 3 and last 4 digits stay and the digits between become *
-- (a run of exactly 7 digits stays whole); separators, and runs of fewer digits (a house number,
-- a count), stay as written. NULL stays NULL.

-- A run cut by position into head (its first 3 digits), middle and tail (its last 4 digits): a
-- single regexp_replace cannot count digits across separators.
CREATE OR REPLACE TEMP MACRO keep_phone_ends(run, head, tail) AS
    head || regexp_replace(substr(run, length(head) + 1, length(run) - length(head) - length(tail)),
                           '[0-9０-９]', '*', 'g') || tail;

-- The text cut into digit runs and the stretches between them (together, the whole text).
CREATE OR REPLACE TEMP MACRO mask_phones(text) AS
    array_to_string(list_transform(
        regexp_extract_all(text, '[0-9０-９](?:[ 　\t\r\n.()（）\-－]{0,3}[0-9０-９])*|[^0-9０-９]+'),
        lambda piece: CASE
            WHEN length(regexp_replace(piece, '[^0-9０-９]', '', 'g')) < 7 THEN piece
            ELSE keep_phone_ends(piece, regexp_extract(piece, '^[0-9０-９](?:[^0-9０-９]*[0-9０-９]){2}'),
                                 regexp_extract(piece, '[0-9０-９](?:[^0-9０-９]*[0-9０-９]){3}$')) END),
        '');
