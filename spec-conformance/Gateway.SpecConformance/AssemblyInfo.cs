using Gateway.SpecConformance.Infrastructure;

[assembly: AssemblyFixture(typeof(ConformanceEnvironment))]
