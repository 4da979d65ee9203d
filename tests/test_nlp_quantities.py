"""Quantities: values, qualifiers, ranges, items, and what is not a quantity."""

from __future__ import annotations

from test_nlp_helpers import run


def quantities(text: str) -> list[tuple]:
    return [(q["text"], q["value"], q["low"], q["high"], q["qualifier"], q["item"]) for q in run(text)["quantities"]]


def test_qualifiers_and_items():
    text = (
        "The North sent over 100 short-range ballistic missiles, around 5 million artillery shells, "
        "up to 10,000 North Korean personnel, more than 5 million rounds of artillery and "
        "perhaps as many as 5 million shells of artillery."
    )
    assert quantities(text) == [
        ("over 100", 100.0, 100.0, None, "at_least", "short-range ballistic missile"),
        ("around 5 million", 5e6, None, None, "approx", "artillery shell"),
        ("up to 10,000", 10000.0, None, 10000.0, "at_most", "troop"),
        ("more than 5 million", 5e6, 5e6, None, "at_least", "artillery shell"),
        ("as many as 5 million", 5e6, None, 5e6, "at_most", "artillery shell"),
    ]


def test_ranges_words_and_vague_numbers():
    text = "It sent 5.2-5.8 million shells of artillery, two battalions of soldiers, a dozen drones, hundreds of troops and tens of thousands of workers, nearly 3,000 drones."
    assert quantities(text) == [
        ("5.2-5.8 million", 5.2e6, 5.2e6, 5.8e6, "range", "artillery shell"),
        ("two", 2.0, 2.0, 2.0, "exact", "battalion"),
        ("a dozen", 12.0, 12.0, 12.0, "exact", "drone"),
        ("hundreds", 100.0, 100.0, None, "at_least", "troop"),
        ("tens of thousands", 10000.0, 10000.0, None, "at_least", "worker"),
        ("nearly 3,000", 3000.0, None, 3000.0, "approx", "drone"),
    ]


def test_not_quantities():
    text = (
        "The 170-mm M-1989 and 240-mm guns, KN-23 rockets, the two countries, a three-year war from 1950 to 1953, "
        "in 2023, 40 percent, one of the few leaders, Resolution 2231 and the 21st century."
    )
    assert quantities(text) == []


def test_quantity_rows_ids_and_slices():
    text = "Russia received more than 10,000 troops."
    rows = run(text)["quantities"]
    assert len(rows) == 1
    q = rows[0]
    assert q["quantity_id"] == f"t:q:{q['start_char']}:{q['end_char']}"
    assert text[q["start_char"] : q["end_char"]] == q["text"] == "more than 10,000"
    assert q["sentence_id"] == 0


def test_word_numbers_count_plural_nouns_currency_qualifiers_and_unknown_systems():
    assert quantities("They sold two players for around £18 million and sent a dozen KN-31 launchers.") == [
        ("two", 2.0, 2.0, 2.0, "exact", "player"),
        ("around £18 million", 18e6, None, None, "approx", "pound"),
        ("a dozen", 12.0, 12.0, 12.0, "exact", "kn-31"),
    ]
    assert quantities("The two sides met, and two of them left.") == []


def test_items_past_hyphenated_modifiers_solid_calibres_coordinated_modifiers_and_of_them():
    text = (
        "It handed over 50 self-propelled 170mm Koksan guns and over 9 million artillery and mortar shells. "
        "North Korea supplied some 100 Hwasong-11 missiles. Russian forces launched at least 60 of them, "
        "and roughly 8,000 of the troops moved."
    )
    assert [(q[0], q[-1]) for q in quantities(text)] == [
        ("50", "m-1989 koksan"),
        ("over 9 million", "artillery shell"),
        ("some 100", "hwasong-11"),
        ("at least 60", "hwasong-11"),
        ("roughly 8,000", "troop"),
    ]


def test_a_restated_figure_counts_what_the_last_figure_counted():
    rows = run("The NIS said some 1,500 soldiers were sent, and later raised its estimate to more than 10,000.")["quantities"]
    assert [(q["value"], q["qualifier"], q["item"]) for q in rows] == [(1500.0, "approx", "troop"), (10000.0, "at_least", "troop")]


def test_a_sum_of_money_counts_money_and_time_words_are_never_items():
    assert quantities("Arms exports brought in as much as $5.5 billion last year.") == [
        ("as much as $5.5 billion", 5.5e9, None, 5.5e9, "at_most", "dollar"),
    ]
    # 'week' is no item, and a number that counts nothing named is no figure (records.py)
    assert quantities("They fired 40 last week.") == []


def test_a_word_number_of_them_counts_what_was_counted_before_and_a_tally_counts_its_items():
    text = "About 300 of the troops have been killed, and Kyiv says it captured two of them in Kursk."
    assert [q[-1] for q in quantities(text)] == ["troop", "troop"]
    assert quantities("The two of them met in Moscow.") == []
    text = "The institute revised its tally of North Korean artillery shells delivered to Russia upwards, to over 5 million."
    assert quantities(text) == [("over 5 million", 5e6, 5e6, None, "at_least", "artillery shell")]


def test_where_the_sentence_is_parsed_the_counted_noun_is_the_numbers_head():
    # CSIS (../shared/corpora/real/rusi_csis): an actor and a trigger word, so the parser runs; the
    # word rules alone see "former" after "five" and count nothing
    text = ("According to the Financial Times, in the first nine months of 2023, Ankara reported $158 million in "
            "exports of 45 goods designated high priority by the allied sanctions enforcement agencies to Russia and "
            "five former Soviet countries.")
    assert (5.0, "country") in [(q["value"], q["item"]) for q in run(text)["quantities"]]


def test_a_weight_is_a_measure_not_a_count():
    # CSIS (../shared/corpora/real/rusi_csis): tons are what the guide calls a weight, never a figure
    rows = run("In February 2025, Chinese manufacturers delivered approximately 1,000 tons of sodium perchlorate, "
               "a critical precursor for solid rocket propellant, to Iran.")
    assert rows["quantities"] == [] and all(c["item"] != "ton" for c in rows["claims"])


def test_the_injured_and_people_are_counted_as_victims_but_are_no_claim_items():
    # BBC (../shared/corpora/real/bbc_repost)
    rows = run("Two people, one of them a three-year-old child, have been killed and approximately 28 injured in a Russian "
               "strike on Kharkiv, Ukrainian officials confirmed. Russia has accused Ukraine of killing at least 27 people.")
    assert {(q["value"], q["item"]) for q in rows["quantities"]} >= {(28.0, "casualty"), (27.0, "person")}
    assert not [c for c in rows["claims"] if c["item"] in ("casualty", "person")]


def test_numbers_that_count_nothing_named_are_no_figures():
    # RUSI and CSIS: headings, list numbers and years
    assert quantities("Pillar 2. Reinforcing Non-Proliferation and Denuclearization Norms") == []
    assert quantities("This shift likely reflects (1) saturation of the Russian market and (2) stagnation.") == []
    assert quantities("Uganda allegedly cut military ties with Pyongyang around 2016.") == []


def test_the_counted_noun_past_modifiers_and_a_shared_head():
    # RUSI, CSIS and Fox News (../shared/corpora/real/)
    assert [q[-1] for q in quantities("At the time of writing, there have already been 10 high-level meetings in 2025.")] == ["meeting"]
    assert [q[-1] for q in quantities("According to Kyiv, Moscow has launched at least 3,700 Iranian-made Shahed attack "
                                      "drones.")] == ["shahed-136"]
    assert [q[-1] for q in quantities("Additionally, at least 19 \u201cdark vessels\u201d have called at the port.")] == ["ship"]
    assert [q[-1] for q in quantities("Russia launched 18 ballistic and 7 cruise missiles at Ukraine.")][:1] == ["ballistic missile"]


def test_money_with_in_after_it_and_a_range_with_the_currency_twice():
    # CSIS: 'in' after a figure is the preposition, not inches
    assert quantities("The fund reportedly invested around $245 million in Chinese AI chip startup Biren Technology.") == [
        ("around $245 million", 245e6, None, None, "approx", "dollar")]
    assert quantities("North Korea earned between $9.6 and $12.3 billion from its provision of equipment to Russia.") == [
        ("between $9.6 and $12.3 billion", 9.6e9, 9.6e9, 12.3e9, "range", "dollar")]


def test_numbers_in_names_abstract_nouns_and_rounds_of_something():
    # CSIS and Fox News (../shared/corpora/real/)
    assert quantities("There were reports of Russia assisting the development of China\u2019s new-generation Type 096 nuclear "
                      "ballistic missile submarine.") == []
    assert quantities("Unless Iran meets three conditions, the sanctions return.") == []
    assert [q[-1] for q in quantities("The European Union has imposed 19 rounds of sanctions on Russia since its "
                                      "full-scale invasion of Ukraine in 2022.")] == ["round"]
    assert [q[-1] for q in quantities("The report found at least 25 different visits by vessels to the port.")] == ["visit"]


def test_a_compound_noun_an_adjective_a_temperature_and_a_range_with_or():
    # Fox News: 'If you send 30 or 40 soldiers to Greenland'; 'when it is minus 20 outside'
    assert quantities("If you send 30 or 40 soldiers to Greenland, what message does that send?") == [
        ("30 or 40", 30.0, 30.0, 40.0, "range", "troop")]
    assert quantities("To actually preserve the energy in the country when it is minus 20 outside, people suffer.") == []
    # CSIS: a member of a set, a number in a name after a region's name, a verb that sets a floor, a
    # figure that leaves out the noun of the one before it
    assert quantities("Moscow sees this UAV as one of its go-to weapons against Ukraine.") == []
    assert quantities("China has been reluctant to advance the Power of Siberia 2 pipeline.") == []
    assert [q[-1] for q in quantities("Pyongyang sent Russia 12 howitzers.")] == ["howitzer"]
    assert [(q[1], q[4], q[5]) for q in quantities("In 2023, bilateral trade flows among the four countries exceeded "
                                                   "$255 billion.")] == [(255e9, "at_least", "dollar")]
    assert [(q[1], q[5]) for q in quantities("The administration announced new trade restrictions on 93 entities, "
                                             "including 16 from Turkey.")] == [(93.0, "entity"), (16.0, "entity")]
    # RUSI: the second figure shares the noun of the first
    assert [(q[1], q[5]) for q in quantities("It needs to source approximately four million 152 mm and 1.6 million "
                                             "122 mm artillery shells in 2024.")] == [
        (4e6, "artillery shell"), (1.6e6, "artillery shell")]
    # CSIS: a range of sums with the currency sign twice; BBC: the whole of a partitive is a figure too
    assert [(q[1], q[3], q[4], q[5]) for q in quantities("China placed orders at a total cost of approximately "
                                                         "$10\u2013$11 billion.")] == [(10e9, 11e9, "range", "dollar")]
    assert [(q[1], q[5]) for q in quantities("They believed at least 1,000 of the 11,000 troops sent from North Korea "
                                             "had been killed.")] == [(1000.0, "troop"), (11000.0, "troop")]
    assert quantities("The 2022 invasion changed everything, the panel of the 1718 Committee said.") == []
    # Fox News: one person is a count of people
    assert [(q[1], q[5]) for q in quantities("One person was pronounced dead in the Khmelnytskyi region.")] == [(1.0, "person")]
    # Yonhap: a currency joined by a hyphen is the sum's unit
    assert [(q[1], q[5]) for q in quantities("Hanwha said it has signed a 5.6 trillion-won (US$4 billion) contract "
                                             "with Poland.")] == [(5.6e12, "won"), (4e9, "dollar")]
    # Yonhap: a rank, not four arms
    assert quantities("The government remains committed to its goal of turning South Korea into one of the world's "
                      "top four arms exporters.") == []
    # RUSI: the Panel of Experts is an 'eight-member body' (no count of bodies)
    assert [q[5] for q in quantities("Russia vetoed the renewal of the Panel of Experts, the independent eight-member "
                                    "body responsible for monitoring sanctions on North Korea.")] == []
    # RUSI: the number hangs on the compound's head
    assert [q[5] for q in quantities("The UN-sanctioned entity Mansudae Overseas Projects undertook 56 construction "
                                    "projects in Angola up until 2015.")] == ["construction project"]


def test_a_bare_number_counts_what_the_figure_before_it_counts():
    # BBC: the injured after 'killing at least 27 people'; a name after the number is no ellipsis (CSIS)
    found = quantities("Russia has accused Ukraine of killing at least 27 people and injuring more than 30 in the drone "
                       "strike on a New Year's party.")
    assert [(q[1], q[4], q[5]) for q in found] == [(27.0, "at_least", "person"), (30.0, "at_least", "person")]


def test_a_range_joined_by_an_en_dash():
    # CSIS: 'North Korea deployed an estimated 14,000–15,000 troops' (one token for spaCy's English rules)
    assert quantities("Shortly after the treaty was signed, North Korea deployed an estimated 14,000\u201315,000 troops "
                      "to Russia.") == [("14,000\u201315,000", 14000.0, 14000.0, 15000.0, "range", "troop")]


def test_over_after_a_verb_of_flight_says_where_not_how_many():
    # Fox News (../shared/corpora/real/foxnews_war): eight regions exactly, not more than eight
    text = "Defense Ministry tallies said 89 drones were shot down over eight regions, including 18 over Novgorod."
    assert [(q[1], q[4], q[5]) for q in quantities(text)][:2] == [(89.0, "exact", "drone"), (8.0, "exact", "region")]
