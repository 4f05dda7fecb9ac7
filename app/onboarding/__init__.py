"""The seed's onboarding package: models, rules, the store, node identity and the controller."""
