// The HTTP contract of the relay, generated from Protocol/openapi.yaml by swift-openapi-generator
// (types, server stubs and client). This file exists so the target is never empty.
public enum RelaisAPIInfo {
    public static let specificationPath = "Protocol/openapi.yaml"
}
