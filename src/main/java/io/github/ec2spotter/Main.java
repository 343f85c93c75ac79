package io.github.ec2spotter;

public final class Main {
    public static void main(String[] args) {
        System.out.println("ec2spotter");
    }
}
