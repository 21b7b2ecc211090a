"""The pages a person uses every day: onboarding, today, walks, check-ins, progress."""
