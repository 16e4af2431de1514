"""Write gold.json (schema annotate.gold/1) for the test articles in this folder.

The articles and their gold were written for annotate's tests (not taken from any
publication). Each entry: (sentence text, status, speaker, channel, cues[, alternatives]);
a speaker or channel is a name or a list whose first item is the name and the rest aliases.
Run `python build_gold.py` after editing; `--check` verifies without writing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def who(value):
    if value is None:
        return None
    names = [value] if isinstance(value, str) else list(value)
    return {"text": names[0], "aliases": names}


ARTICLES = {
    "wire_port_strike": {
        "claims": [
            ("ROTTERDAM (Wire) \u2014 At least 14 cargo ships were stranded outside the port of Rotterdam on Tuesday after dock workers walked off the job, according to the port authority.",
             "claim", ["the port authority", "port authority"], None, ["vague_quantity"]),
            ("The strike, called by the Dutch dockers' union FNV Havens, entered its third day with no talks scheduled.", "claim", None, None, []),
            ("Union leader Marieke de Vries said the walkout would continue \"for as long as it takes.\"",
             "claim", ["Marieke de Vries", "de Vries"], None, ["direct_quote", "prediction", "interested_party"]),
            ("\"We have been patient for two years.", "claim", ["Marieke de Vries", "de Vries"], None, ["direct_quote", "interested_party"]),
            ("Our members will not accept another pay freeze,\" de Vries told reporters outside the union's offices.",
             "claim", ["Marieke de Vries", "de Vries"], None, ["direct_quote", "prediction", "interested_party"]),
            ("\"The companies made record profits and they can afford a fair deal.\"", "claim", ["Marieke de Vries", "de Vries"], None, ["direct_quote"]),
            ("The terminal operators' association said in a statement that the union's demands were \"unrealistic\" and would cost the sector more than 300 million euros a year.",
             "claim", ["terminal operators' association"], ["statement", "a statement"],
             ["direct_quote", "interested_party", "vague_quantity", "self_published", "prediction"]),
            ("It denied that profits had reached record levels.", "claim", ["terminal operators' association"], ["statement"], ["denial", "interested_party"]),
            ("A senior official at the Ministry of Infrastructure, who spoke on condition of anonymity because the talks are confidential, said the government could step in if the strike lasted beyond Friday.",
             "claim", ["A senior official at the Ministry of Infrastructure", "senior official"], None,
             ["unnamed_source", "anonymous_info", "state_source", "hedge", "prediction"]),
            ("Shipping analysts estimate that thousands of containers are already delayed.", "claim", ["Shipping analysts"], None,
             ["unnamed_source", "vague_quantity", "hedge"]),
            ("Prices for some goods may rise in the coming weeks, according to Jan Bakker, an economist at Erasmus University.",
             "claim", ["Jan Bakker", "Bakker"], None, ["hedge", "prediction", "vague_quantity"]),
            ("Will the strike spread to Antwerp?", "not_claim", None, None, []),
            ("Belgian unions have not said.", "claim", None, None, []),
            ("The port handled about 440 million tonnes of cargo last year.", "claim", None, None, ["vague_quantity"]),
        ],
        "contradictions": [[6, 8]],
    },
    "council_quotes": {
        "claims": [
            ("Residents packed the town hall in Millbrook on Monday night as the council debated whether to close the last public library branch on the east side.", "claim", None, None, []),
            ("Councillor Susan Okafor, who chairs the finance committee, said the closure would save the town $420,000 a year.",
             "claim", ["Susan Okafor", "Okafor"], None, ["prediction"]),
            ("\"Nobody wants to close a library,\" she said.", "optional", ["Susan Okafor", "Okafor"], None, ["direct_quote"]),
            ("\"But we have a hole in the budget and every department has to help fill it.", "claim", ["Susan Okafor", "Okafor"], None, ["direct_quote", "interested_party"]),
            ("\"If we do nothing, we will be cutting police and fire next year.\"", "claim", ["Susan Okafor", "Okafor"], None, ["direct_quote", "prediction"]),
            ("Her colleague, Councillor David Reyes, disagreed.", "claim", ["David Reyes", "Reyes"], None, [], [None]),
            ("\"This is not about money.", "claim", ["David Reyes", "Reyes"], None, ["direct_quote", "denial"]),
            ("The east side has been ignored for decades, and this closure proves it,\" Reyes said.", "claim", ["David Reyes", "Reyes"], None, ["direct_quote", "vague_quantity"]),
            ("He said the branch served more than 2,000 children a month and that the savings figure was \"a fantasy.\"",
             "claim", ["David Reyes", "Reyes"], None, ["direct_quote", "vague_quantity", "denial"]),
            ("According to the town's own audit, the branch costs about $310,000 a year to run.", "claim", None, None, ["vague_quantity"], [["the town's own audit"], ["town"]]),
            ("Margaret Hill, 74, has used the branch since it opened.", "claim", None, None, []),
            ("She told the Millbrook Gazette that she would lose her only way to get online.", "claim", ["Margaret Hill", "Hill"], ["Millbrook Gazette"], ["prediction"]),
            ("\"I don't have a computer at home.", "claim", ["Margaret Hill", "Hill"], ["Millbrook Gazette"], ["direct_quote"]),
            ("Where am I supposed to go?\" Hill asked.", "optional", ["Margaret Hill", "Hill"], None, ["direct_quote"]),
            ("The council is expected to vote on the budget on March 3.", "claim", None, None, ["prediction"]),
        ],
        "contradictions": [[2, 9], [4, 7]],
    },
    "health_report": {
        "claims": [
            ("Nearly one in five adults in the region reported skipping a doctor's visit last year because of cost, a new survey by the Hartwell Health Institute found.",
             "claim", ["Hartwell Health Institute"], None, ["vague_quantity"], [None]),
            ("The survey of 3,200 adults, released Thursday, also showed that waiting times for specialist appointments had roughly doubled since 2019.",
             "claim", None, None, ["vague_quantity"], [["Hartwell Health Institute"]]),
            ("\"These numbers should worry everyone,\" said Dr. Priya Raman, the institute's research director.",
             "claim", ["Priya Raman", "Dr. Priya Raman", "Raman"], None, ["direct_quote", "interested_party"]),
            ("\"When people delay care, small problems become emergencies.\"", "claim", ["Priya Raman", "Raman"], None, ["direct_quote"]),
            ("Raman said the figures were probably an underestimate, because the poorest residents are the hardest to reach by phone.",
             "claim", ["Priya Raman", "Raman"], None, ["hedge", "interested_party"]),
            ("The regional health authority disputed the findings.", "claim", ["regional health authority"], None, ["denial", "state_source"]),
            ("A spokeswoman said waiting times had fallen in the past six months and called the survey \"misleading.\"",
             "claim", ["A spokeswoman", "spokeswoman"], None, ["unnamed_source", "denial", "direct_quote", "state_source"], [["regional health authority"]]),
            ("\"We have hired more than 150 specialists since January,\" the spokeswoman said in an emailed statement.",
             "claim", ["spokeswoman"], ["statement", "an emailed statement", "emailed statement"],
             ["direct_quote", "vague_quantity", "unnamed_source", "interested_party", "self_published", "state_source"], [["regional health authority"]]),
            ("Some doctors say the problem is getting worse.", "claim", ["Some doctors", "doctors"], None, ["unnamed_source", "vague_quantity"]),
            ("Dr. Tom Ellis, a family physician in Carver, said he now sees patients who have waited up to a year for a referral.",
             "claim", ["Tom Ellis", "Dr. Tom Ellis", "Ellis"], None, ["vague_quantity"]),
            ("Experts warn that costs will keep rising unless the authority expands its budget.", "claim", ["Experts"], None, ["unnamed_source", "prediction"]),
            ("The institute plans to repeat the survey next spring.", "claim", None, None, ["prediction"]),
        ],
        "contradictions": [[2, 7], [7, 9]],
    },
    "platform_denial": {
        "claims": [
            ("The chief executive of Brightline Foods, Marcus Hale, denied on Wednesday that the company had hidden safety problems at its largest plant, hours after a former employee accused it of covering up contamination.",
             "claim", ["Marcus Hale", "Hale"], None, ["denial", "interested_party"]),
            ("In a post on X, Hale wrote that the allegations were \"completely false\" and that the plant had passed every inspection.",
             "claim", ["Marcus Hale", "Hale"], ["a post on X", "post on X", "X", "post"],
             ["denial", "booster", "direct_quote", "self_published", "interested_party"]),
            ("The former employee, quality inspector Lena Torres, had told a local television station that managers ordered staff to ignore positive tests for listeria on at least three occasions.",
             "claim", ["Lena Torres", "Torres"], ["local television station", "a local television station"], ["vague_quantity"]),
            ("\"They told us to run the line anyway.", "claim", ["Lena Torres", "Torres"], ["interview"], ["direct_quote"]),
            ("I was scared to speak up,\" Torres said in the interview.", "claim", ["Lena Torres", "Torres"], ["interview"], ["direct_quote"]),
            ("Brightline said it had launched an independent review.", "claim", ["Brightline Foods", "Brightline"], None, ["interested_party"]),
            ("The company said no contaminated product had reached stores.", "claim", ["Brightline Foods", "Brightline"], None, ["interested_party", "denial"]),
            ("Federal inspectors have not commented on the case.", "claim", None, None, [], [["Federal inspectors"]]),
            ("Two people familiar with the inspection records said the plant was cited for minor violations in 2022.",
             "claim", ["Two people familiar with the inspection records"], None, ["unnamed_source", "anonymous_info"]),
            ("Shares of Brightline fell 6 percent on Wednesday.", "claim", None, None, []),
            ("Consumer groups said the company should recall products from the plant until the review is finished.",
             "claim", ["Consumer groups"], None, ["unnamed_source"]),
        ],
        "contradictions": [[1, 3], [2, 3]],
    },
    "wire_election": {
        "claims": [
            ("LIMA, Peru (Wire) - Election officials said Sunday that turnout in the presidential runoff had reached a record 81 percent, but both candidates claimed victory before the count was complete.",
             "claim", ["Election officials"], None, ["unnamed_source", "state_source", "hedge"]),
            ("Conservative candidate Rosa Medina told supporters in the capital that her campaign's own tally showed her ahead by about 200,000 votes.",
             "claim", ["Rosa Medina", "Medina"], None, ["interested_party", "vague_quantity"]),
            ("\"The people have spoken, and they have chosen change,\" she said.", "claim", ["Rosa Medina", "Medina"], None,
             ["direct_quote", "interested_party"]),
            ("Her rival, former labor minister Julio Paredes, rejected those figures.", "claim", ["Julio Paredes", "Paredes"], None,
             ["denial", "interested_party"]),
            ("\"Nobody has won yet,\" Paredes told The Associated Press.", "claim", ["Julio Paredes", "Paredes"],
             ["The Associated Press", "Associated Press", "AP"], ["direct_quote", "denial"]),
            ("\"We will wait for every vote to be counted, and we will respect the result.", "claim", ["Julio Paredes", "Paredes"],
             ["The Associated Press", "Associated Press", "AP"], ["direct_quote", "prediction", "interested_party"]),
            ("\"But we will not accept a victory declared on television.\"", "claim", ["Julio Paredes", "Paredes"],
             ["The Associated Press", "Associated Press", "AP"], ["direct_quote", "prediction"]),
            ("The National Electoral Board said it had counted 64 percent of ballots by midnight, with Paredes narrowly in front.",
             "claim", ["National Electoral Board"], None, ["state_source"]),
            ("It asked both campaigns to stay calm.", "optional", ["National Electoral Board"], None, []),
            ("Observers from the Organization of American States said they had seen no major irregularities.",
             "claim", ["Observers from the Organization of American States", "Organization of American States"], None, []),
            ("They are expected to publish a preliminary report on Tuesday.", "claim", None, None, ["prediction"],
             [["Observers from the Organization of American States", "Organization of American States"]]),
            ("Some analysts warned that a narrow result could lead to weeks of legal challenges.", "claim", ["Some analysts", "analysts"], None,
             ["unnamed_source", "vague_quantity", "hedge", "prediction"]),
        ],
        "contradictions": [[2, 4], [2, 8]],
    },
    "science_study": {
        "claims": [
            ("Drinking two or more cups of coffee a day may lower the risk of liver disease, according to a large study published Wednesday in the journal Hepatology Reports.",
             "claim", None, ["Hepatology Reports"], ["hedge"], [["Hepatology Reports"], ["a large study", "study"]]),
            ("The researchers followed nearly 90,000 adults in Denmark for 12 years.", "claim", None, None, ["vague_quantity"]),
            ("Those who drank the most coffee were about 20 percent less likely to develop cirrhosis than those who drank none, the study found.",
             "claim", None, None, ["vague_quantity", "hedge"], [["The researchers", "researchers"]]),
            ("\"It is a striking association, but it is not proof that coffee protects the liver,\" said lead author Ingrid Sorensen, an epidemiologist at the University of Aarhus.",
             "claim", ["Ingrid Sorensen", "Sorensen"], None, ["direct_quote", "denial"]),
            ("She said people who drink a lot of coffee may also differ in other ways, such as diet and exercise.",
             "claim", ["Ingrid Sorensen", "Sorensen"], None, ["hedge", "vague_quantity"]),
            ("Not everyone was convinced.", "claim", None, None, []),
            ("Dr. Paul Mercer, a hepatologist who was not involved in the research, said the study relied on questionnaires that participants filled in only once.",
             "claim", ["Paul Mercer", "Dr. Paul Mercer", "Mercer"], None, []),
            ("\"People are bad at remembering what they drink,\" he said.", "claim", ["Paul Mercer", "Mercer"], None, ["direct_quote"]),
            ("\"I would not change my habits because of this.\"", "claim", ["Paul Mercer", "Mercer"], None, ["direct_quote", "prediction"]),
            ("The study was funded in part by a coffee industry group, which had no role in the analysis, the authors wrote.",
             "claim", ["the authors", "authors"], None, [], [["Ingrid Sorensen"]]),
            ("Experts say more trials are needed before doctors recommend coffee to patients.", "claim", ["Experts"], None, ["unnamed_source"]),
        ],
        "contradictions": [],
    },
}


def build() -> dict:
    documents = {}
    for name, spec in ARTICLES.items():
        text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
        claims = []
        position = 0
        for number, entry in enumerate(spec["claims"], 1):
            sentence, status, speaker, channel, cues = entry[:5]
            start = text.index(sentence, position)
            end = start + len(sentence)
            position = end
            claim = {"id": f"g{number}", "start": start, "end": end, "text": sentence, "status": status,
                     "speaker": who(speaker), "channel": who(channel), "cues": sorted(cues)}
            if len(entry) > 5:
                claim["speaker_alternatives"] = [who(a) for a in entry[5]]
            claims.append(claim)
        documents[name] = {
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "chars": len(text),
            "claims": claims,
            "contradictions": [[f"g{a}", f"g{b}"] for a, b in spec["contradictions"]],
        }
    return {"schema": "annotate.gold/1", "documents": documents}


def main() -> int:
    gold = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    path = HERE / "gold.json"
    if "--check" in sys.argv:
        return 0 if path.exists() and path.read_text(encoding="utf-8") == gold else 1
    path.write_text(gold, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
