"""A situations.yaml for tests/fixtures/minimal-policy (North and South cities): two situations,
one guided by both cities. Used by tests/unit/test_situations.py and the Sphinx roots test-situations
and test-oracle."""

SITUATIONS = """\
type: situations
roles:
  - id: account-team
    label: {ja: 管理者, en: Account administrators}
    actors: [account-administrator]
contacts:
  north: account-administrator
situations:
  - id: new-account
    title: {ja: アカウントを作る, en: Opening an account}
    topics: [contact]
    guides:
      - document: south
        steps:
          - clause: south-2
            actors: [staff]
      - document: north
        steps:
          - clause: north-2-p1
            actors: [account-administrator]
  - id: comment
    title: {ja: 意見が来た, en: A comment arrives}
    topics: [replies]
    guides:
      - document: north
        steps:
          - clause: north-1-1
        omitted:
          - clause: north-1-1-i1
            reason: {ja: 質問の扱いのため。, en: It is about questions.}
          - clause: north-1-1-i2
            reason: {ja: 緊急時のため。, en: It is about emergencies.}
"""
